import type { Order } from '../domain/order.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
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

const encodeCursor = (o: Order) => Buffer.from(JSON.stringify([o.createdAt.toISOString(), o.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
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
  const orders = rows.slice(0, query.limit);
  const last = orders.at(-1);
  return ok({ orders, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null });
}
