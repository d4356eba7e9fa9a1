import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import { lockAndMoveOrder, stockLinesOf } from './move-order.ts';
import type { OrdersContext } from './orders.context.ts';

/** The step is ahead of an event not handled yet (e.g. label before payment): throwing retries it later. */
export class NotYet extends Error {}

/**
 * LabelPurchased → fulfilled, and the reserved stock leaves the warehouse (committed, audited);
 * ShipmentStatusChanged → shipped or delivered. A report that can never apply (a late in-transit
 * scan after delivery, a label for a cancelled order) is logged and dropped.
 */
export async function recordShipping(
  ctx: OrdersContext,
  tx: Sql,
  event: DomainEvent<string, { orderId: string }>,
  to: Extract<OrderStatus, 'fulfilled' | 'shipped' | 'delivered'>,
  reason: string,
): Promise<void> {
  const locked = await lockAndMoveOrder(ctx, tx, event.payload.orderId, to, { reason, eventId: event.id });
  if (!locked) {
    ctx.logger.error({ orderId: event.payload.orderId, eventId: event.id }, 'shipping event for an unknown order');
    return;
  }
  const { order, plan } = locked;
  // Only `apply` changed the status: otherwise it is still the one the lock found.
  if (plan === 'not_yet') throw new NotYet(`order ${order.id} is ${order.status}; ${to} must wait`);
  if (plan === 'illegal') ctx.logger.warn({ orderId: order.id, from: order.status, to }, 'shipping event does not apply to this order');
  if (plan === 'apply' && to === 'fulfilled') {
    await ctx.catalog.commitStock(tx, stockLinesOf(order), { reason: `order ${order.orderNumber} shipped`, actorId: 'orders' });
  }
}
