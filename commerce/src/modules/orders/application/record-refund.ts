import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import { lockAndMoveOrder } from './move-order.ts';
import { NotYet } from './record-shipping.ts';
import type { OrdersContext } from './orders.context.ts';

/**
 * PaymentRefunded: an admin's refund request is marked paid out (the order keeps its status);
 * a cancelled order whose money went back is `refunded`.
 */
export async function recordRefund(
  ctx: OrdersContext,
  tx: Sql,
  event: DomainEvent<string, { orderId: string; amountMinor: number; refundRequestId?: string | undefined }>,
): Promise<void> {
  if (event.payload.refundRequestId) {
    await ctx.refunds.markRefunded(tx, event.payload.refundRequestId, ctx.now());
    return;
  }
  const locked = await lockAndMoveOrder(ctx, tx, event.payload.orderId, 'refunded', { reason: `refunded ${event.payload.amountMinor}`, eventId: event.id });
  if (!locked) {
    ctx.logger.error({ orderId: event.payload.orderId, eventId: event.id }, 'refund for an unknown order');
    return;
  }
  const { order, plan } = locked;
  if (plan === 'not_yet') throw new NotYet(`order ${order.id} is ${order.status}; refunded must wait for cancelled`);
  if (plan === 'illegal') ctx.logger.error({ orderId: order.id, from: order.status }, 'refund reported for an order that cannot be refunded');
}
