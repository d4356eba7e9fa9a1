import type { EventOf } from '../../../shared/events/index.ts';
import { checkRefund } from '../domain/payment.ts';
import { applyFact } from './apply-fact.ts';
import { GatewayUnreachableError } from './charge-order.ts';
import type { OrderCancelled } from '../../../events/orders.events.ts';
import type { PaymentsContext } from './payments.context.ts';

/**
 * Refunds a cancelled order that had been paid (`refundMinor` > 0). The gateway key is
 * derived from the cancellation event, so a redelivery replays the same refund (same refund
 * id) and the state machine counts it once; `PaymentRefunded` is published with that move.
 */
export async function refundCancelledOrder(ctx: PaymentsContext, event: EventOf<typeof OrderCancelled>): Promise<void> {
  const { orderId, refundMinor } = event.payload;
  if (refundMinor <= 0) return;
  const current = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  const refusal = current ? checkRefund(current.payment, refundMinor) : null;
  if (!current || !current.payment.intentId || refusal) {
    // Retrying cannot make money appear: log loudly for an admin instead of dead-lettering forever.
    ctx.logger.error({ orderId, refundMinor, error: refusal ?? 'no captured payment' }, 'cannot refund the cancelled order');
    return;
  }
  const outcome = await ctx.gateway.refund({ intentId: current.payment.intentId, amountMinor: refundMinor, idempotencyKey: `refund:${event.id}` });
  switch (outcome.status) {
    case 'refunded':
      await ctx.db.transaction((tx) =>
        applyFact(ctx, tx, orderId, { type: 'refunded', refundId: outcome.refund.refundId, amountMinor: outcome.refund.amountMinor }, { causedBy: event }),
      );
      return;
    case 'refused':
      ctx.logger.error({ orderId, refundMinor, error: outcome.error }, 'the gateway refused the refund');
      return;
    case 'timeout':
    case 'unavailable':
      throw new GatewayUnreachableError(outcome);
  }
}
