import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { getOrder } from '../application/get-order.ts';
import { listOrders } from '../application/list-orders.ts';
import type { OrdersContext } from '../application/orders.context.ts';
import { placeOrder } from '../application/place-order.ts';
import { quoteCheckout } from '../application/quote-checkout.ts';
import { toHttpError, unwrap } from './orders.http-errors.ts';
import {
  checkoutBody,
  checkoutHeaders,
  checkoutResponse,
  errorResponses,
  idParams,
  myOrdersQuery,
  orderDetailSchema,
  orderPageSchema,
  orderTokenHeaders,
  quoteBody,
  quoteResponse,
} from './orders.schemas.ts';
import { compiledSerializer } from '../../../shared/http/compiled-serializer.ts';
import { toDetail, toSummary } from './orders.views.ts';

/** Checkout and the shopper's own orders, mounted under `/api`. */
export function orderRoutes(ctx: OrdersContext, auth: Authenticator) {
  const tags = ['orders'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }, {}];

  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/checkout',
      {
        schema: {
          tags,
          security,
          summary: 'Place an order from the current cart (signed in, or a guest with an email)',
          description:
            'Reserves the stock and answers 202 at once; payment follows asynchronously. The same Idempotency-Key with the ' +
            'same body gets the same answer; with a different body, 422. Checking out the same cart again returns the order already placed.',
          headers: checkoutHeaders,
          body: checkoutBody,
          response: { 202: checkoutResponse, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request, reply) => {
        // Cookie sessions pass the CSRF check here; guests are identified by their cart token.
        if (await auth.identify(request)) await auth.requireUser(request);
        const owner = await ctx.cart.ownerFromRequest(request);
        if (!owner) throw toHttpError({ code: 'CART.EMPTY', message: 'The cart is empty' });
        const outcome = unwrap(
          await placeOrder(ctx, { owner, idempotencyKey: request.headers['idempotency-key'], request: request.body }),
        );
        if (outcome.replayed) reply.header('idempotency-replayed', 'true');
        const { replayed: _replayed, ...body } = outcome;
        return reply.status(202).header('location', `/api/orders/${outcome.orderId}`).send(body);
      },
    );

    app.post(
      '/checkout/quote',
      {
        schema: {
          tags,
          security,
          summary: 'What checking out the cart would cost now: discounts, taxes, shipping and total',
          description:
            'Priced by the same code as POST /checkout; writes and reserves nothing. A code that does not apply is reported ' +
            'in promotionCode (applied false, with the reason) instead of failing the quote.',
          body: quoteBody,
          response: { 200: quoteResponse, ...errorResponses },
        },
      },
      async (request) => {
        const owner = await ctx.cart.ownerFromRequest(request);
        if (!owner) throw toHttpError({ code: 'CART.EMPTY', message: 'The cart is empty' });
        return unwrap(await quoteCheckout(ctx, owner, request.body));
      },
    );

    app.get(
      '/orders/:id',
      {
        schema: {
          tags,
          security,
          summary: "An order with its timeline: the owner's, an admin's, or a guest's with x-order-token",
          params: idParams,
          headers: orderTokenHeaders,
          response: { 200: orderDetailSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request) => {
        const principal = await auth.identify(request);
        const detail = unwrap(
          await getOrder(ctx, request.params.id, {
            userId: principal?.userId ?? null,
            admin: principal?.role === 'admin',
            orderToken: request.headers['x-order-token'] ?? null,
          }),
        );
        return toDetail(detail);
      },
    );

    app.get(
      '/orders',
      {
        schema: {
          tags,
          security: [{ session: [] }, { bearer: [] }],
          summary: 'The signed-in customer’s orders, newest first (keyset paginated)',
          querystring: myOrdersQuery,
          response: { 200: orderPageSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request) => {
        const user = await auth.requireUser(request);
        const page = unwrap(await listOrders(ctx, { userId: user.userId, limit: request.query.limit, cursor: request.query.cursor }));
        return { orders: page.orders.map(toSummary), nextCursor: page.nextCursor };
      },
    );
  };
}
