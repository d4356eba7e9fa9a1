import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from './auth.ts';

/**
 * Who asks about an order's payment or documents: a signed-in user (maybe an admin) and/or a
 * guest's order token. Modules that answer the shopper about an order keep the order's owner and
 * token hash from its events, and check them with `mayView`, without asking orders.
 */
export interface OrderViewer {
  userId: string | null;
  admin: boolean;
  orderToken: string | null;
}

/** The same rule as reading the order: its customer, an admin, or a guest holding the order's token. */
export function mayView(owner: { userId: string | null; accessTokenHash: string | null }, viewer: OrderViewer): boolean {
  if (viewer.admin) return true;
  if (viewer.userId !== null && owner.userId === viewer.userId) return true;
  if (viewer.orderToken === null || owner.accessTokenHash === null) return false;
  const given = createHash('sha256').update(viewer.orderToken).digest();
  const stored = Buffer.from(owner.accessTokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Who asks, as the request says: its session or bearer token, and a guest's `x-order-token`. */
export async function orderViewerOf(request: FastifyRequest, auth: Authenticator): Promise<OrderViewer> {
  const principal = await auth.identify(request);
  const token = request.headers['x-order-token'];
  return {
    userId: principal?.userId ?? null,
    admin: principal?.role === 'admin',
    orderToken: typeof token === 'string' && token !== '' ? token : null,
  };
}
