import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { getAdminOrder } from '../application/get-admin-order.ts';
import type { OrdersContext } from '../application/orders.context.ts';
import { unwrap } from './orders.http-errors.ts';
import { adminOrderDetailSchema, errorResponses, idParams } from './orders.schemas.ts';
import { toAdminDetail } from './orders.views.ts';

/** The admin's order detail, mounted under `/api/admin`. Staff may read it (permission `orders.read`). */
export function adminOrderDetailRoutes(ctx: OrdersContext, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    guardPermission(root, auth, 'orders.read');
    root.withTypeProvider<ZodTypeProvider>().get(
      '/orders/:id',
      {
        schema: {
          tags: ['orders admin'],
          security: [{ session: [] }, { bearer: [] }],
          summary: 'One order for the back office: lines, addresses, payment, refunds, shipments, emails sent and the merged history',
          params: idParams,
          response: { 200: adminOrderDetailSchema, ...errorResponses },
        },
      },
      async (request) => toAdminDetail(unwrap(await getAdminOrder(ctx, request.params.id))),
    );
  };
}
