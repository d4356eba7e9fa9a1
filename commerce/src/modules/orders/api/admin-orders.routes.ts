import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { cancelOrderByAdmin } from '../application/cancel-order-by-admin.ts';
import { getOrder } from '../application/get-order.ts';
import { listOrders } from '../application/list-orders.ts';
import type { OrdersContext } from '../application/orders.context.ts';
import { unwrap } from './orders.http-errors.ts';
import { adminOrdersQuery, errorResponses, idParams, orderDetailSchema, orderPageSchema } from './orders.schemas.ts';
import { toDetail, toSummary } from './orders.views.ts';

/** Admin order routes, mounted under `/api/admin`; every one behind its permission, checked before the body is read. */
export function adminOrderRoutes(ctx: OrdersContext, auth: Authenticator) {
  const tags = ['orders admin'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

  return async (root: FastifyInstance): Promise<void> => {
    const adminOf = guardPermission(root, auth, 'orders.read');
    const app = root.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/orders',
      {
        schema: {
          tags,
          security,
          summary: 'All orders, newest first, filtered by status, email, order number, customer and creation time (keyset paginated)',
          querystring: adminOrdersQuery,
          response: { 200: orderPageSchema, ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        const page = unwrap(
          await listOrders(ctx, {
            status: q.status,
            email: q.email,
            orderNumber: q.number,
            userId: q.customerId,
            from: q.from ? new Date(q.from) : undefined,
            to: q.to ? new Date(q.to) : undefined,
            limit: q.limit,
            cursor: q.cursor,
          }),
        );
        return { orders: page.orders.map(toSummary), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/orders/:id/cancel',
      {
        config: { permission: 'orders.manage' },
        schema: {
          tags,
          security,
          summary: 'Cancel an order: unpaid ones release their stock; paid, unshipped ones are refunded in full',
          params: idParams,
          response: { 200: orderDetailSchema, ...errorResponses },
        },
      },
      async (request) => {
        const admin = adminOf(request);
        unwrap(await cancelOrderByAdmin(ctx, request.params.id, admin));
        return toDetail(unwrap(await getOrder(ctx, request.params.id, { userId: admin.userId, admin: true, orderToken: null })));
      },
    );
  };
}
