import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import type { Order } from '../domain/order.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { cancelOrder } from './cancel-order.ts';
import type { OrdersContext } from './orders.context.ts';

/**
 * Staff cancel an order: an unpaid one simply ends (stock released); a paid one that has not
 * shipped is refunded (what was not refunded yet: payments acts on `OrderCancelled.refundMinor`)
 * and goes `refunded` when payments reports the refund. Repeating it is harmless and recorded once.
 */
export async function cancelOrderByAdmin(ctx: OrdersContext, id: string, actor: AuditActor): Promise<Result<Order, OrdersError>> {
  return ctx.db.transaction(async (tx) => {
    const order = await ctx.orders.lockOrder(tx, id);
    if (!order) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${id} not found` });
    const before = { status: order.status };
    const cancelled = await cancelOrder(ctx, tx, order, 'admin', { reason: `${actor.role} ${actor.userId}` });
    if (!cancelled.ok) return cancelled;
    if (cancelled.value.changed) {
      await ctx.audit.record(tx, {
        actor,
        action: 'order.cancel',
        subject: { type: 'order', id: order.id },
        summary: `${order.orderNumber}: cancelled (was ${before.status})`,
        before,
        after: { status: order.status },
      });
    }
    return ok(order);
  });
}
