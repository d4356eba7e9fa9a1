import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { orderViewerOf } from '../../../shared/http/order-viewer.ts';
import { returnsOfOrder } from '../application/list-returns.ts';
import type { OrdersContext } from '../application/orders.context.ts';
import { requestReturn } from '../application/request-return.ts';
import { unwrap } from './orders.http-errors.ts';
import { errorResponses, idParams, orderTokenHeaders } from './orders.schemas.ts';
import { orderReturnsSchema, returnHeaders, returnRequestBody, returnSchema } from './returns.schemas.ts';
import { toOrderReturnsView, toReturnView } from './returns.views.ts';

/** A customer's returns of an order, mounted under `/api`: the order's reader (owner, admin, guest with token). */
export function returnRoutes(ctx: OrdersContext, auth: Authenticator) {
  const tags = ['returns'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }, {}];
  const viewerOf = (request: FastifyRequest) => orderViewerOf(request, auth);
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/orders/:id/returns',
      {
        schema: {
          tags,
          security,
          summary: "An order's returns and the units still returnable (until `returnableUntil`)",
          params: idParams,
          headers: orderTokenHeaders,
          response: { 200: orderReturnsSchema, ...errorResponses },
        },
      },
      async (request) => toOrderReturnsView(unwrap(await returnsOfOrder(ctx, request.params.id, await viewerOf(request)))),
    );
    app.post(
      '/orders/:id/returns',
      {
        schema: {
          tags,
          security,
          summary:
            'Ask to return delivered units (within the return window), with a reason; 202 once recorded, staff decide next. ' +
            'Not delivered or past the window: 409 ORDERS.NOT_RETURNABLE; more units than bought: 422 ORDERS.RETURN_LINE_INVALID',
          params: idParams,
          headers: returnHeaders,
          body: returnRequestBody,
          response: { 200: returnSchema, 202: returnSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        // Cookie sessions pass the CSRF check; guests prove the order with its token.
        if (await auth.identify(request)) await auth.requireUser(request);
        const { orderReturn, created } = unwrap(
          await requestReturn(ctx, {
            orderId: request.params.id,
            lines: request.body.lines,
            reason: request.body.reason,
            viewer: await viewerOf(request),
            idempotencyKey: request.headers['idempotency-key'],
          }),
        );
        return reply.code(created ? 202 : 200).send(toReturnView(orderReturn));
      },
    );
  };
}
