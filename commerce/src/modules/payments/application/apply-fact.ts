import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import { applyPaymentEvent, type Payment, type PaymentEffect, type PaymentEvent, type PaymentTransition } from '../domain/payment.ts';
import type { PaymentRecord } from './ports/payment.repository.ts';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../../events/payments.events.ts';
import { CaptureRequested } from './capture-requested.event.ts';
import type { PaymentsContext } from './payments.context.ts';

export interface AppliedFact {
  record: PaymentRecord;
  transition: PaymentTransition;
}

type FactMeta = { reason?: string; causedBy?: DomainEvent; refundRequestId?: string };

/**
 * The one way a payment changes: lock its row, run the pure state machine, save, and publish
 * the effects' events through the same transaction. A fact that is repeated or overtaken
 * comes back `already` with nothing written or published, which is what makes racing
 * webhooks, shopper confirmations and redelivered events produce each effect once.
 * Resolves null when the order has no payment here.
 */
export function applyFact(ctx: PaymentsContext, tx: Sql, orderId: string, fact: PaymentEvent, meta: FactMeta = {}): Promise<AppliedFact | null> {
  return applyFacts(ctx, tx, orderId, [fact], meta);
}

/**
 * Several facts learnt together (an authorization and its capture), applied in order under one
 * lock and saved once. An effect a later fact made moot is dropped: once the payment is
 * captured there is nothing left for a `capture` effect to ask for. Applying stops at the first
 * refused fact; what moved before it is kept.
 *
 * `fresh`, a payment read as `initiated` outside the transaction (the charge's own row), saves
 * the lock's read: the facts are applied to it and saved only if the row is still `initiated`,
 * the update taking the lock; otherwise they are applied under the lock as usual.
 */
export async function applyFacts(
  ctx: PaymentsContext,
  tx: Sql,
  orderId: string,
  facts: readonly PaymentEvent[],
  meta: FactMeta = {},
  fresh?: PaymentRecord,
): Promise<AppliedFact | null> {
  if (fresh?.payment.state === 'initiated') {
    const applied = await applyTo(ctx, tx, fresh, facts, meta, 'initiated');
    if (applied) return applied;
  }
  const record = await ctx.payments.lockPaymentByOrder(tx, orderId);
  if (!record) return null;
  return (await applyTo(ctx, tx, record, facts, meta))!;
}

/** Null only when `ifStill` is given and the row had moved on: nothing written then. */
async function applyTo(
  ctx: PaymentsContext,
  tx: Sql,
  record: PaymentRecord,
  facts: readonly PaymentEvent[],
  meta: FactMeta,
  ifStill?: Payment['state'],
): Promise<AppliedFact | null> {
  let payment: Payment = record.payment;
  let last: PaymentTransition | undefined;
  const effects: { effect: PaymentEffect; fact: PaymentEvent }[] = [];
  for (const fact of facts) {
    last = applyPaymentEvent(payment, fact);
    if (last.outcome === 'refused') break;
    if (last.outcome === 'moved') {
      payment = last.payment;
      effects.push(...last.effects.map((effect) => ({ effect, fact })));
    }
  }
  // Nothing moved: an unlocked read proves nothing, so only the locked one answers that.
  if (payment === record.payment) return ifStill ? null : { record, transition: last! };

  const now = ctx.now();
  const failed = payment.state === 'failed';
  const failureReason = failed ? (meta.reason ?? null) : null;
  if (ifStill) {
    if (!(await ctx.payments.savePaymentIfStill(tx, record.id, ifStill, payment, failureReason, now))) return null;
  } else {
    await ctx.payments.savePayment(tx, record.id, payment, failureReason, now);
  }
  const due = effects.filter(({ effect }) => effect !== 'capture' || payment.state === 'authorized');
  await ctx.events.publish(
    tx,
    due.map(({ effect, fact }) => eventFor(effect, fact, payment, { orderId: payment.orderId, paymentId: record.id }, record, meta)),
  );
  const updated: PaymentRecord = { ...record, payment, updatedAt: now, failureReason: failed ? (meta.reason ?? null) : record.failureReason };
  return { record: updated, transition: { outcome: 'moved', payment, effects: due.map(({ effect }) => effect) } };
}

function eventFor(
  effect: PaymentEffect,
  fact: PaymentEvent,
  payment: Payment,
  ids: { orderId: string; paymentId: string },
  record: PaymentRecord,
  meta: FactMeta,
): DomainEvent {
  const eventMeta = {
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
    ...(meta.causedBy ? { causationId: meta.causedBy.id } : {}),
  };
  switch (effect) {
    case 'capture':
      return CaptureRequested.create({ ...ids, intentId: payment.intentId ?? '' }, eventMeta);
    case 'publish_completed':
      return PaymentCompleted.create({ ...ids, amountMinor: payment.capturedMinor, currency: payment.currency }, eventMeta);
    case 'publish_failed':
      return PaymentFailed.create(
        { ...ids, code: payment.failureCode ?? 'PAYMENTS.PAYMENT_FAILED', reason: meta.reason ?? 'The payment failed' },
        eventMeta,
      );
    case 'publish_refunded':
      return PaymentRefunded.create(
        {
          ...ids,
          amountMinor: fact.type === 'refunded' ? fact.amountMinor : 0,
          currency: payment.currency,
          ...(meta.refundRequestId ? { refundRequestId: meta.refundRequestId } : {}),
        },
        eventMeta,
      );
  }
}
