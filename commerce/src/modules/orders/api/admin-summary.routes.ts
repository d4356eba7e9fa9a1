import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import type { Database } from '../../../shared/database/database.ts';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { OrderSummaryQuery } from '../application/ports/order-summary.query.ts';

const summaryQuery = z.object({
  since: z.iso.datetime({ offset: true }).describe('start of the period, e.g. the start of today in the shop\'s time zone'),
});
const summarySchema = z.object({
  since: z.string(),
  orders: z.number().int().describe('orders placed since'),
  revenue: z.array(z.object({ currency: z.string(), totalMinor: z.number().int() })).describe('paid orders placed since, per currency'),
  awaitingPayment: z.number().int(),
  awaitingShipment: z.number().int().describe('paid or labelled, not shipped yet'),
});

/** `GET /api/admin/orders-summary`: the back office's home figures. */
export function adminSummaryRoutes(deps: { db: Database; summary: OrderSummaryQuery }, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    guardPermission(root, auth, 'dashboard.read');
    root.withTypeProvider<ZodTypeProvider>().get(
      '/orders-summary',
      {
        schema: {
          tags: ['orders admin'],
          security: [{ session: [] }, { bearer: [] }],
          summary: 'Orders and revenue since a time; orders waiting for payment or shipment',
          querystring: summaryQuery,
          response: { 200: summarySchema },
        },
      },
      async (request) => {
        const s = await deps.summary.summarize(deps.db, new Date(request.query.since));
        return {
          since: s.since.toISOString(),
          orders: s.ordersSince,
          revenue: s.revenueSince,
          awaitingPayment: s.awaitingPayment,
          awaitingShipment: s.awaitingShipment,
        };
      },
    );
  };
}
