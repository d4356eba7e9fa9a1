import { fail, ok, type Result } from '@shop/platform/result';
import type { Sql } from '../../../shared/database/database.ts';
import type { Order } from '../domain/order.ts';
import type { OrderReturn } from '../domain/order-return.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import type { OrdersContext } from './orders.context.ts';

/**
 * The return and its order, both rows locked, in the order every return and refund step takes them
 * (order first), so steps on one order never interleave or deadlock.
 */
export async function lockReturn(ctx: OrdersContext, tx: Sql, returnId: string): Promise<Result<{ order: Order; current: OrderReturn }, OrdersError>> {
  const found = await ctx.returns.find(tx, returnId);
  const order = found ? await ctx.orders.lockOrder(tx, found.orderId) : null;
  const current = order ? await ctx.returns.lock(tx, returnId) : null;
  if (!order || !current) return fail({ code: 'ORDERS.RETURN_NOT_FOUND', message: `Return ${returnId} not found` });
  return ok({ order, current });
}
