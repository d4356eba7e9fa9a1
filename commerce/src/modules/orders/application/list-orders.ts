import type { Order } from '../domain/order.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { decodeCursor, pageOf } from '../../../shared/pagination/keyset-cursor.ts';
import type { OrdersContext } from './orders.context.ts';

export interface OrderListQuery {
  /** Set for a customer's own list; absent for the admin's list of everyone's. */
  userId?: string;
  status?: OrderStatus;
  email?: string;
  orderNumber?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface OrderPage {
  orders: Order[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Newest first, keyset paginated: a page boundary never skips or repeats an order as new ones arrive. */
export async function listOrders(ctx: OrdersContext, query: OrderListQuery): Promise<Result<OrderPage, OrdersError>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (after === null) return fail({ code: 'ORDERS.INVALID_CURSOR', message: 'querystring.cursor: must be a nextCursor value' });
  const rows = await ctx.orders.listOrders(ctx.db, {
    userId: query.userId,
    status: query.status,
    email: query.email,
    orderNumber: query.orderNumber,
    from: query.from,
    to: query.to,
    after,
    limit: query.limit + 1,
  });
  const { items, nextCursor } = pageOf(rows, query.limit);
  return ok({ orders: items, nextCursor });
}
