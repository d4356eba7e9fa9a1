import { HttpError, type ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { listCustomers } from '../application/list-customers.ts';
import type { CustomerOrders, CustomerQueries, CustomerRow } from '../application/ports/customer-directory.port.ts';
import { SIGNED_IN } from './users.http-context.ts';

const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const customer = z.object({ id: z.string(), email: z.string(), createdAt: z.string(), addressCount: z.number().int() });
const toDto = (c: CustomerRow) => ({ ...c, createdAt: c.createdAt.toISOString() });

/** The back office's customers, mounted under `/api/admin`. Staff may read them (permission `customers.read`). */
export function adminCustomerRoutes(deps: { customers: CustomerQueries; orders: CustomerOrders; auth: Authenticator }) {
  const tags = ['admin'];
  return async (root: FastifyInstance): Promise<void> => {
    guardPermission(root, deps.auth, 'customers.read');
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/customers',
      {
        schema: {
          tags,
          security: SIGNED_IN,
          summary: 'Customers, newest first; search by part of the email (keyset paginated)',
          querystring: z.strictObject({
            search: z.string().trim().min(1).max(320).optional().describe('part of the email, any case'),
            cursor: z.string().min(1).max(500).regex(/^[\w-]+$/, 'must be a nextCursor value').optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: z.object({ customers: z.array(customer), nextCursor: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        const page = await listCustomers(deps.customers, request.query);
        if (!page) throw new HttpError(400, 'USERS.INVALID_CURSOR', 'querystring.cursor: must be a nextCursor value');
        return { customers: page.customers.map(toDto), nextCursor: page.nextCursor };
      },
    );
    app.get(
      '/customers/:id',
      {
        schema: {
          tags,
          security: SIGNED_IN,
          summary: 'One customer with their newest orders',
          params: z.object({ id: z.uuid({ message: 'must be a customer id (uuid)' }) }),
          response: {
            200: customer.extend({
              orders: z.array(
                z.object({ id: z.string(), orderNumber: z.string(), status: z.string(), currency: z.string(), totalMinor: z.number().int(), createdAt: z.string() }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const found = await deps.customers.find(request.params.id);
        if (!found) throw new HttpError(404, 'USERS.USER_NOT_FOUND', `No customer ${request.params.id}`);
        return { ...toDto(found), orders: await deps.orders.ordersOfCustomer(found.id, 50) };
      },
    );
  };
}
