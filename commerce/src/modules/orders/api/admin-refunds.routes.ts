import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { RefundRequest } from '../domain/refund.ts';
import type { OrdersContext } from '../application/orders.context.ts';
import { requestRefund } from '../application/request-refund.ts';
import { unwrap } from './orders.http-errors.ts';
import { errorResponses, idParams, refundBody, refundHeaders, refundSchema } from './orders.schemas.ts';
import { toRefundView } from './orders.views.ts';

/** Refunds, mounted under `/api/admin`: admins only (permission `orders.refund`; staff may not). */
export function adminRefundRoutes(ctx: OrdersContext, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    const adminOf = guardPermission(root, auth, 'orders.refund');
    root.withTypeProvider<ZodTypeProvider>().post(
      '/orders/:id/refunds',
      {
        schema: {
          tags: ['orders admin'],
          security: [{ session: [] }, { bearer: [] }],
          summary:
            'Refund all (full), some units (lines, optionally shipping) or an amount of a paid order; 202 once recorded, paid out by payments. ' +
            'More than is still refundable: 422 ORDERS.REFUND_EXCEEDS_CAPTURED',
          params: idParams,
          headers: refundHeaders,
          body: refundBody,
          response: { 200: refundSchema, 202: refundSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const refundRequest: RefundRequest = b.full
          ? { kind: 'full' }
          : b.lines
            ? { kind: 'lines', lines: b.lines, shipping: b.shipping ?? false }
            : { kind: 'amount', amountMinor: b.amountMinor ?? 0 };
        const { refund, created } = unwrap(
          await requestRefund(ctx, {
            orderId: request.params.id,
            request: refundRequest,
            reason: b.reason,
            actor: adminOf(request),
            idempotencyKey: request.headers['idempotency-key'],
          }),
        );
        // A repeat with the same key answers 200 with the first refund: nothing new was recorded.
        return reply.code(created ? 202 : 200).send(toRefundView(refund));
      },
    );
  };
}
