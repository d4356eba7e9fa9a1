import type { EventOf } from '../../../shared/events/index.ts';
import { applyFact } from './apply-fact.ts';
import { GatewayUnreachableError } from './charge-order.ts';
import type { OrderCancelled } from '../../../events/orders.events.ts';
import type { PaymentsContext } from './payments.context.ts';

/**
 * Releases the authorization of an order cancelled before its capture (expired, failed, or
 * cancelled unpaid): otherwise the shopper's funds stay held. Like the capture, one gateway key
 * per order (`void:<orderId>`), so a retried or redelivered cancellation replays the same answer,
 * and the `voided` fact moves the payment once.
 */
export async function voidCancelledOrder(ctx: PaymentsContext, event: EventOf<typeof OrderCancelled>): Promise<void> {
  const { orderId, refundMinor } = event.payload;
  if (refundMinor > 0) return; // a paid order: refunded instead
  const current = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  const intentId = current?.payment.intentId;
  if (!current || !intentId || (current.payment.state !== 'authorized' && current.payment.state !== 'requires_confirmation')) return;
  const outcome = await ctx.gateway.voidAuthorization(intentId, `void:${orderId}`);
  switch (outcome.status) {
    case 'voided':
      await ctx.db.transaction((tx) => applyFact(ctx, tx, orderId, { type: 'voided' }, { causedBy: event }));
      return;
    case 'refused':
      // Captured meanwhile (the capture won the race) or unknown to the gateway: retrying cannot change it.
      ctx.logger.error({ orderId, intentId, error: outcome.error }, 'the gateway refused to void the authorization of a cancelled order');
      return;
    case 'timeout':
    case 'unavailable':
      throw new GatewayUnreachableError(outcome);
  }
}
