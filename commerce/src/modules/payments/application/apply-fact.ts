import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import { applyPaymentEvent, type PaymentEvent, type PaymentTransition } from '../domain/payment.ts';
import type { PaymentRecord } from './ports/payment.repository.ts';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../../events/payments.events.ts';
import { CaptureRequested } from './capture-requested.event.ts';
import type { PaymentsContext } from './payments.context.ts';

export interface AppliedFact {
  record: PaymentRecord;
  transition: PaymentTransition;
}

/**
 * The one way a payment changes: lock its row, run the pure state machine, save, and publish
 * the effects' events through the same transaction. A fact that is repeated or overtaken
 * comes back `already` with nothing written or published, which is what makes racing
 * webhooks, shopper confirmations and redelivered events produce each effect once.
 * Resolves null when the order has no payment here.
 */
export async function applyFact(
  ctx: PaymentsContext,
  tx: Sql,
  orderId: string,
  fact: PaymentEvent,
  meta: { reason?: string; causedBy?: DomainEvent; refundRequestId?: string } = {},
): Promise<AppliedFact | null> {
  const record = await ctx.payments.lockPaymentByOrder(tx, orderId);
  if (!record) return null;
  const transition = applyPaymentEvent(record.payment, fact);
  if (transition.outcome !== 'moved') return { record, transition };

  const now = ctx.now();
  const payment = transition.payment;
  await ctx.payments.savePayment(tx, record.id, payment, fact.type === 'failed' ? (meta.reason ?? null) : null, now);
  const eventMeta = {
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
    ...(meta.causedBy ? { causationId: meta.causedBy.id } : {}),
  };
  const ids = { orderId, paymentId: record.id };
  const events: DomainEvent[] = transition.effects.map((effect) => {
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
  });
  await ctx.events.publish(tx, events);
  const updated: PaymentRecord = { ...record, payment, updatedAt: now, failureReason: fact.type === 'failed' ? (meta.reason ?? null) : record.failureReason };
  return { record: updated, transition };
}
