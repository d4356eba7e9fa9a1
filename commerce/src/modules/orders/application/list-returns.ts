import { fail, ok, type Result } from '@shop/platform/result';
import { returnableQuantities, returnDeadline, type OrderReturn, type ReturnStatus } from '../domain/order-return.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { canView, type Viewer } from './get-order.ts';
import type { OrdersContext } from './orders.context.ts';

export interface OrderReturns {
  returns: OrderReturn[];
  /** Until when a return may be asked for; null when the order is not delivered. */
  returnableUntil: Date | null;
  /** Units per variant still returnable (zero once the window closed). */
  returnable: Map<string, number>;
}

/** An order's returns for whoever may read the order, with what may still be sent back. */
export async function returnsOfOrder(ctx: OrdersContext, orderId: string, viewer: Viewer): Promise<Result<OrderReturns, OrdersError>> {
  const found = await ctx.orders.findOrderWithTimeline(ctx.db, orderId);
  if (!found || !canView(found.order, viewer)) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${orderId} not found` });
  const returns = await ctx.returns.listFor(ctx.db, orderId);
  const deliveredAt = found.order.status === 'delivered' ? (found.timeline.findLast((t) => t.to === 'delivered')?.at ?? null) : null;
  const returnableUntil = deliveredAt ? returnDeadline(deliveredAt, ctx.returnWindowDays) : null;
  const open = returnableUntil !== null && ctx.now() <= returnableUntil;
  const returnable = returnableQuantities(found.order, returns);
  if (!open) for (const key of returnable.keys()) returnable.set(key, 0);
  return ok({ returns, returnableUntil, returnable });
}

/** The back office's queue. */
export const listReturns = (ctx: OrdersContext, filter: { status?: ReturnStatus; limit: number }) => ctx.returns.list(ctx.db, filter);
