import type { EventOf, HandlerContext } from '../../../shared/events/index.ts';
import type { AuthorizeOutcome, Unreachable } from './ports/payment-gateway.port.ts';
import { initiatePayment, type PaymentEvent } from '../domain/payment.ts';
import { applyFacts } from './apply-fact.ts';
import type { PaymentRecord } from './ports/payment.repository.ts';
import type { OrderCreated } from '../../../events/orders.events.ts';
import type { PaymentsContext } from './payments.context.ts';

/** Thrown so the event bus retries the delivery with backoff; the gateway answer is in the message. */
export class GatewayUnreachableError extends Error {
  constructor(readonly outcome: Unreachable) {
    super(`${outcome.code}: ${outcome.message}`);
    this.name = 'GatewayUnreachableError';
  }
}

/**
 * Charges a new order, idempotent per order: one payment row per order id and one gateway
 * idempotency key (`authorize:<orderId>`), so a redelivered or duplicated OrderCreated
 * replays the first answer instead of charging again. An authorized card is captured at once,
 * under its own key (`capture:<orderId>`), and both facts are recorded in one transaction: a
 * crash before that commit redelivers the order, and both calls replay. Only when the capture
 * does not answer `captured` is the authorization recorded alone, and its `CaptureRequested`
 * retries the capture as its own delivery. A timeout of the authorization is thrown
 * for the bus to retry until the last attempt, which fails the payment instead, so orders
 * can release the stock rather than wait forever.
 */
export async function chargeOrder(ctx: PaymentsContext, event: EventOf<typeof OrderCreated>, handler: Pick<HandlerContext, 'attempt'>): Promise<void> {
  const { orderId, totalMinor, currency, paymentMethod } = event.payload;
  const record = await ctx.payments.insertPaymentIfAbsent(ctx.db, {
    id: ctx.newId(),
    payment: initiatePayment({ orderId, amountMinor: totalMinor, currency: currency.toUpperCase() }),
    correlationId: event.correlationId ?? event.id,
    owner: { userId: event.payload.customer.userId, accessTokenHash: event.payload.accessTokenHash ?? null },
    now: ctx.now(),
  });
  // Past `initiated`, whatever comes next is driven by the capture event, a webhook or the shopper.
  if (record.payment.state !== 'initiated') return;

  ctx.charges.started(orderId);
  let committed: PaymentRecord | undefined;
  try {
    const outcome = await ctx.gateway.createPaymentIntent({
      orderId,
      amountMinor: totalMinor,
      currency: record.payment.currency,
      paymentMethod,
      idempotencyKey: `authorize:${orderId}`,
    });
    const fact = toFact(outcome);
    if (!fact) {
      const unreachable = outcome as Unreachable;
      if (handler.attempt < ctx.maxAttempts) throw new GatewayUnreachableError(unreachable);
      ctx.logger.warn({ orderId, attempt: handler.attempt, code: unreachable.code }, 'gateway unreachable on the last attempt; failing the payment');
    }
    const facts: PaymentEvent[] = [fact ?? { type: 'failed', code: 'PAYMENTS.GATEWAY_TIMEOUT' }];
    if (fact?.type === 'authorized') {
      const captured = await ctx.gateway.capture(fact.intentId, `capture:${orderId}`);
      if (captured.status === 'captured') facts.push({ type: 'captured', intentId: fact.intentId, amountMinor: captured.intent.amountCapturedMinor });
    }
    const applied = await ctx.db.transaction((tx) =>
      applyFacts(ctx, tx, orderId, facts, { causedBy: event, reason: 'message' in outcome ? outcome.message : undefined }, record),
    );
    committed = applied?.record;
    if (applied?.transition.outcome === 'refused') {
      ctx.logger.warn({ orderId, error: applied.transition.error }, 'gateway answer overtaken by a later fact');
    }
  } finally {
    ctx.charges.ended(orderId, committed);
  }
}

/** What the gateway's answer means for the payment; null when it could not be reached. */
function toFact(outcome: AuthorizeOutcome): PaymentEvent | null {
  switch (outcome.status) {
    case 'authorized':
      return { type: 'authorized', intentId: outcome.intent.intentId };
    case 'requires_confirmation':
      return { type: 'confirmation_required', intentId: outcome.intent.intentId };
    case 'declined':
    case 'insufficient_funds':
      return { type: 'failed', code: outcome.code };
    case 'timeout':
    case 'unavailable':
      return null;
  }
}
