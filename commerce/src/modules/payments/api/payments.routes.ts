import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound, type ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import { confirmPayment } from '../application/confirm-payment.ts';
import { findPayments } from '../application/find-payments.ts';
import { getPayment } from '../application/get-payment.ts';
import { getPaymentByOrder } from '../application/get-payment-by-order.ts';
import { handleGatewayWebhook } from '../application/handle-gateway-webhook.ts';
import type { PaymentsContext } from '../application/payments.context.ts';
import { viewerOf } from './payment-viewer.http.ts';
import { toHttpError } from './payments.http-errors.ts';
import { errorResponses, listQuery, orderParams, orderTokenHeaders, paymentParams, paymentSchema, webhookAnswer, webhookRejections } from './payments.schemas.ts';

const tags = ['payments'];
const adminSecurity: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

/** The payments HTTP surface, mounted under `/api`. */
export function paymentsRoutes(ctx: PaymentsContext, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();

    // As reading the order: its customer's session, an admin's, or a guest's x-order-token.
    app.post(
      '/payments/:orderId/confirm',
      {
        schema: {
          tags,
          summary: 'The shopper is back from card authentication: re-check the payment with the gateway',
          security: [{ session: [] }, { bearer: [] }, {}],
          params: orderParams,
          headers: orderTokenHeaders,
          response: { 200: paymentSchema.pick({ orderId: true, state: true, failureCode: true }), ...errorResponses },
        },
      },
      async (request) => {
        const confirmed = await confirmPayment(ctx, request.params.orderId, await viewerOf(request, auth));
        if (!confirmed.ok) throw toHttpError(confirmed.error);
        const { orderId, state, failureCode } = confirmed.value;
        return { orderId, state, failureCode };
      },
    );

    // Who may read is who may confirm: a client learns the payment needs the shopper's authentication.
    app.get(
      '/payments/:orderId',
      {
        schema: {
          tags,
          summary: "Where an order's payment stands (requires_confirmation: the shopper must authenticate the card)",
          security: [{ session: [] }, { bearer: [] }, {}],
          params: orderParams,
          headers: orderTokenHeaders,
          response: { 200: paymentSchema.pick({ orderId: true, state: true, failureCode: true }), ...errorResponses },
        },
      },
      async (request) => {
        const payment = await getPaymentByOrder(ctx, request.params.orderId, await viewerOf(request, auth));
        if (!payment) throw notFound('Payment');
        return { orderId: payment.orderId, state: payment.state, failureCode: payment.failureCode };
      },
    );

    // Its own scope: here, and only here, bodies stay raw Buffers, because the HMAC is over the exact bytes.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/payments/webhooks/gateway',
        {
          schema: {
            tags,
            summary: 'Gateway webhook (Stripe-Signature verified over the raw body, with timestamp tolerance)',
            response: { 200: webhookAnswer, ...errorResponses },
          },
        },
        async (request) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const header = request.headers['stripe-signature'];
          const handled = await handleGatewayWebhook(ctx, raw, typeof header === 'string' ? header : undefined);
          if (!handled.ok) throw toHttpError(handled.error);
          return { received: true as const, handled: handled.value };
        },
      );
    });

    await app.register(async (scope) => {
      guardPermission(scope, auth, 'orders.read');
      const admin = scope.withTypeProvider<ZodTypeProvider>();
      admin.get(
        '/admin/payments',
        {
          schema: {
            tags,
            security: adminSecurity,
            summary: 'Payments, newest first; ?orderId= for one order',
            querystring: listQuery,
            response: { 200: z.object({ items: z.array(paymentSchema) }), ...errorResponses },
          },
        },
        async (request) => ({ items: await findPayments(ctx, request.query) }),
      );
      admin.get(
        '/admin/payments/webhook-rejections',
        {
          config: { permission: 'operations.manage' },
          schema: {
            tags,
            security: adminSecurity,
            summary: 'Signed webhooks rejected because they were not about the order\'s payment: how many, and the newest',
            querystring: listQuery.pick({ limit: true }),
            response: { 200: webhookRejections, ...errorResponses },
          },
        },
        async (request) => {
          const { total, items } = await ctx.payments.listWebhookRejections(ctx.db, request.query.limit);
          return { total, items: items.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() })) };
        },
      );
      admin.get(
        '/admin/payments/:id',
        {
          schema: { tags, security: adminSecurity, summary: 'One payment', params: paymentParams, response: { 200: paymentSchema, ...errorResponses } },
        },
        async (request) => {
          const payment = await getPayment(ctx, request.params.id);
          if (!payment) throw notFound('Payment');
          return payment;
        },
      );
    });
  };
}
