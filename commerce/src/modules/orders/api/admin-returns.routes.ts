import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { decideReturn } from '../application/decide-return.ts';
import { listReturns } from '../application/list-returns.ts';
import type { OrdersContext } from '../application/orders.context.ts';
import { receiveReturn } from '../application/receive-return.ts';
import { unwrap } from './orders.http-errors.ts';
import { errorResponses } from './orders.schemas.ts';
import { adminReturnsQuery, returnDecisionBody, returnIdParams, returnQueueSchema, returnReceiptBody, returnSchema } from './returns.schemas.ts';
import { toReturnView } from './returns.views.ts';

/**
 * The returns queue, mounted under `/api/admin`. Reading needs `orders.read`; deciding and receiving
 * `orders.manage` (staff may): the refund a receipt triggers is priced by the returned units, not chosen.
 */
export function adminReturnRoutes(ctx: OrdersContext, auth: Authenticator) {
  const tags = ['returns admin'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
  return async (root: FastifyInstance): Promise<void> => {
    const reader = guardPermission(root, auth, 'orders.read');
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/returns',
      {
        schema: { tags, security, summary: 'Returns, oldest first, optionally of one status (the queue: requested, then approved)', querystring: adminReturnsQuery, response: { 200: returnQueueSchema, ...errorResponses } },
      },
      async (request) => {
        reader(request);
        return { returns: (await listReturns(ctx, request.query)).map(toReturnView) };
      },
    );
    await root.register(async (scope) => {
      const manager = guardPermission(scope, auth, 'orders.manage');
      const s = scope.withTypeProvider<ZodTypeProvider>();
      for (const decision of ['approved', 'refused'] as const) {
        s.post(
          `/returns/:id/${decision === 'approved' ? 'approve' : 'refuse'}`,
          {
            schema: {
              tags,
              security,
              summary: `${decision === 'approved' ? 'Approve' : 'Refuse'} a requested return; repeating it answers the return unchanged, anything else is 409 ORDERS.RETURN_STEP_INVALID`,
              params: returnIdParams,
              body: returnDecisionBody,
              response: { 200: returnSchema, ...errorResponses },
            },
          },
          async (request) => {
            const result = await decideReturn(ctx, { returnId: request.params.id, decision, note: request.body.note || null, actor: manager(request) });
            return toReturnView(unwrap(result).orderReturn);
          },
        );
      }
      s.post(
        '/returns/:id/receive',
        {
          schema: {
            tags,
            security,
            summary:
              'The parcel of an approved return arrived: restock or write off the units and refund them (paid out by payments). ' +
              'Exactly once: a repeat, or a second member of staff at the same moment, gets the received return unchanged',
            params: returnIdParams,
            body: returnReceiptBody,
            response: { 200: returnSchema, ...errorResponses },
          },
        },
        async (request) => {
          const result = await receiveReturn(ctx, { returnId: request.params.id, disposition: request.body.disposition, actor: manager(request) });
          return toReturnView(unwrap(result).orderReturn);
        },
      );
    });
  };
}
