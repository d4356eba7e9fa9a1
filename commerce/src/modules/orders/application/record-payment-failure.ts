import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import { cancelOrder } from './cancel-order.ts';
import { lockAndMoveOrder } from './move-order.ts';
import type { OrdersContext } from './orders.context.ts';

/** PaymentFailed: payment_failed, then cancelled in the same transaction, releasing the stock. */
export async function recordPaymentFailure(
  ctx: OrdersContext,
  tx: Sql,
  event: DomainEvent<string, { orderId: string; code: string; reason: string }>,
): Promise<void> {
  const locked = await lockAndMoveOrder(ctx, tx, event.payload.orderId, 'payment_failed', { reason: `payment failed: ${event.payload.code}`, eventId: event.id });
  if (!locked) {
    ctx.logger.error({ orderId: event.payload.orderId, eventId: event.id }, 'payment failed for an unknown order');
    return;
  }
  const { order, plan } = locked;
  if (plan !== 'apply' && order.status !== 'payment_failed') {
    // Already cancelled (expired first) or paid: nothing to undo here.
    ctx.logger.warn({ orderId: order.id, status: order.status }, 'payment failure ignored');
    return;
  }
  const cancelled = await cancelOrder(ctx, tx, order, 'payment_failed', { reason: 'payment failed', eventId: event.id, causedBy: event });
  if (!cancelled.ok) throw new Error(cancelled.error.message);
}
