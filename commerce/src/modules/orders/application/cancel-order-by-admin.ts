import type { Order } from '../domain/order.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { cancelOrder } from './cancel-order.ts';
import type { OrdersContext } from './orders.context.ts';

/**
 * An admin cancels an order: an unpaid one simply ends (stock released); a paid one that has not
 * shipped is refunded in full (payments acts on `OrderCancelled.refundMinor`) and goes `refunded`
 * when payments reports the refund. Repeating it is harmless.
 */
export async function cancelOrderByAdmin(ctx: OrdersContext, id: string, adminId: string): Promise<Result<Order, OrdersError>> {
  return ctx.db.transaction(async (tx) => {
    const order = await ctx.orders.lockOrder(tx, id);
    if (!order) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${id} not found` });
    const cancelled = await cancelOrder(ctx, tx, order, 'admin', { reason: `admin ${adminId}` });
    return cancelled.ok ? ok(order) : cancelled;
  });
}
