import { timingSafeEqual } from 'node:crypto';
import { tokenHash } from '../domain/checkout-identity.ts';
import type { Order, OrderTimelineEntry } from '../domain/order.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { OrdersContext } from './orders.context.ts';

/** Who asks: a signed-in user (maybe an admin), and/or a guest's order token. */
export interface Viewer {
  userId: string | null;
  admin: boolean;
  orderToken: string | null;
}

export interface OrderDetail {
  order: Order;
  timeline: OrderTimelineEntry[];
}

/**
 * The order for its owner, an admin, or a guest holding its token. Anyone else is told it does
 * not exist, exactly as for an unknown id, so order ids cannot be probed.
 */
export async function getOrder(ctx: OrdersContext, id: string, viewer: Viewer): Promise<Result<OrderDetail, OrdersError>> {
  const found = await ctx.orders.findOrderWithTimeline(ctx.db, id);
  if (!found || !canView(found.order, viewer)) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${id} not found` });
  return ok(found);
}

export function canView(order: Pick<Order, 'userId' | 'accessTokenHash'>, viewer: Viewer): boolean {
  if (viewer.admin) return true;
  if (viewer.userId !== null && order.userId === viewer.userId) return true;
  if (viewer.orderToken === null || order.accessTokenHash === null) return false;
  const given = Buffer.from(tokenHash(viewer.orderToken), 'hex');
  const stored = Buffer.from(order.accessTokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
