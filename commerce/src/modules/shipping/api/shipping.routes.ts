import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, type ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { getShipment } from '../application/get-shipment.ts';
import { listShipments } from '../application/list-shipments.ts';
import { quoteShipping } from '../application/quote-shipping.ts';
import { recordTrackingUpdate } from '../application/record-tracking-update.ts';
import type { ShippingContext } from '../application/shipping.context.ts';
import type { SignedTrackingWebhook, TrackingStatus } from '../application/ports/shipping-provider.port.ts';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import { advances } from '../domain/shipment.ts';
import { renderLabel } from '../domain/label.svg.ts';
import { toHttpError } from './shipping.http-errors.ts';
import {
  advanceBody,
  errorResponses,
  quoteOptionSchema,
  quoteQuery,
  shipmentListQuery,
  shipmentParams,
  shipmentSchema,
  TRACKING_SIGNATURE_HEADER,
} from './shipping.schemas.ts';

/** The sandbox carrier's demo control; absent with a real carrier. */
export interface SandboxControl {
  advance(trackingNumber: string, status: TrackingStatus): SignedTrackingWebhook;
}

const TRACKING_WEBHOOK_PATH = '/shipping/webhooks/tracking';

/** Shipping over HTTP, mounted under `/api`: quotes, the carrier's tracking webhook, and the admin's shipments. */
export function shippingRoutes(ctx: ShippingContext, auth: Authenticator, sandbox: SandboxControl | undefined) {
  const tags = ['shipping'];
  const adminSecurity: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

  return async (root: FastifyInstance): Promise<void> => {
    // Where the webhook route ends up, e.g. `/api/shipping/webhooks/tracking`, for the sandbox's own delivery.
    const webhookUrl = `${root.prefix}${TRACKING_WEBHOOK_PATH}`;

    root.withTypeProvider<ZodTypeProvider>().get(
      '/shipping/options',
      {
        schema: {
          tags,
          summary: 'Shipping options and prices for a parcel to a country, cheapest first',
          querystring: quoteQuery,
          response: { 200: z.object({ options: z.array(quoteOptionSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const quoted = await quoteShipping(ctx, request.query);
        if (!quoted.ok) throw toHttpError(quoted.error);
        return { options: quoted.value };
      },
    );

    // The signature covers the body byte for byte, so this route keeps it raw instead of parsing JSON.
    await root.register(async (hook) => {
      hook.removeAllContentTypeParsers();
      hook.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      hook.withTypeProvider<ZodTypeProvider>().post(
        TRACKING_WEBHOOK_PATH,
        {
          schema: {
            tags,
            summary: "The carrier's signed tracking webhook (in_transit, delivered); repeats are harmless",
            response: { 200: z.object({ received: z.literal(true), changed: z.boolean() }), ...errorResponses },
          },
        },
        async (request) => {
          const header = request.headers[TRACKING_SIGNATURE_HEADER];
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const outcome = await recordTrackingUpdate(ctx, body, typeof header === 'string' ? header : undefined);
          if (!outcome.ok) throw toHttpError(outcome.error);
          return { received: true as const, changed: outcome.value.changed };
        },
      );
    });

    await root.register(
      async (admin) => {
        const caller = guardPermission(admin, auth, 'shipments.manage');
        const app = admin.withTypeProvider<ZodTypeProvider>();
        app.get(
          '/shipments',
          {
            schema: {
              tags,
              security: adminSecurity,
              summary: 'Shipments, newest first; filter by order or status (keyset paginated)',
              querystring: shipmentListQuery,
              response: { 200: z.object({ shipments: z.array(shipmentSchema), nextCursor: z.string().nullable() }), ...errorResponses },
            },
          },
          async (request) => {
            const page = await listShipments(ctx, request.query);
            if (!page) throw new HttpError(400, 'SHIPPING.INVALID_CURSOR', 'querystring.cursor: must be a nextCursor value');
            return page;
          },
        );

        app.get(
          '/shipments/:id',
          {
            schema: { tags, security: adminSecurity, summary: 'One shipment', params: shipmentParams, response: { 200: shipmentSchema, ...errorResponses } },
          },
          async (request) => {
            const shipment = await getShipment(ctx, request.params.id);
            if (!shipment) throw toHttpError({ code: 'SHIPPING.SHIPMENT_NOT_FOUND', message: `No shipment ${request.params.id}` });
            return shipment;
          },
        );

        // The carrier's label as a printable SVG (the sandbox carrier's labelUrl points nowhere); sandboxed like any document we render.
        app.get(
          '/shipments/:id/label',
          {
            schema: {
              tags,
              security: adminSecurity,
              summary: "The shipment's label as a printable SVG image",
              params: shipmentParams,
              response: { 200: z.string(), ...errorResponses },
            },
          },
          async (request, reply) => {
            const shipment = await getShipment(ctx, request.params.id);
            if (!shipment) throw toHttpError({ code: 'SHIPPING.SHIPMENT_NOT_FOUND', message: `No shipment ${request.params.id}` });
            return reply
              .header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
              .header('x-content-type-options', 'nosniff')
              .type('image/svg+xml; charset=utf-8')
              .send(renderLabel(shipment));
          },
        );

        app.post(
          '/shipments/:id/advance',
          {
            schema: {
              tags,
              security: adminSecurity,
              summary: 'Sandbox carrier only: the parcel moves and the carrier sends its signed tracking webhook to this shop',
              params: shipmentParams,
              body: advanceBody,
              response: { 200: z.object({ webhookStatus: z.number().int(), shipment: shipmentSchema }), ...errorResponses },
            },
          },
          async (request) => {
            const shipment = await getShipment(ctx, request.params.id);
            if (!shipment) throw toHttpError({ code: 'SHIPPING.SHIPMENT_NOT_FOUND', message: `No shipment ${request.params.id}` });
            if (!advances(shipment.status, request.body.status)) {
              throw toHttpError({
                code: 'SHIPPING.ILLEGAL_TRANSITION',
                message: `A shipment that is ${shipment.status} cannot move to ${request.body.status}: shipments only move forward (label_purchased → in_transit → delivered)`,
              });
            }
            if (!sandbox) throw toHttpError({ code: 'SHIPPING.SANDBOX_UNAVAILABLE', message: 'Only the sandbox carrier can be moved by hand' });
            let webhook: SignedTrackingWebhook;
            try {
              webhook = sandbox.advance(shipment.trackingNumber, request.body.status);
            } catch {
              // The sandbox keeps its labels in memory: after a restart it no longer knows this parcel.
              throw toHttpError({ code: 'SHIPPING.SANDBOX_UNAVAILABLE', message: `The sandbox carrier does not know ${shipment.trackingNumber} (restarted?)` });
            }
            // Through our own public endpoint, signature check included, exactly as the carrier would call it.
            const delivered = await request.server.inject({
              method: 'POST',
              url: webhookUrl,
              headers: { 'content-type': 'application/json', [TRACKING_SIGNATURE_HEADER]: webhook.signatureHeader },
              payload: webhook.payload,
            });
            const after = (await getShipment(ctx, shipment.id)) ?? shipment;
            // The move itself commits in the webhook's transaction; this records who asked for it once it did.
            if (after.status !== shipment.status) {
              await ctx.db.transaction((tx) =>
                ctx.audit.record(tx, {
                  actor: caller(request),
                  action: 'shipment.advance',
                  subject: { type: 'shipment', id: shipment.id },
                  summary: `${shipment.orderNumber}: ${shipment.status} → ${after.status} (${shipment.trackingNumber})`,
                  before: { status: shipment.status },
                  after: { status: after.status },
                }),
              );
            }
            return { webhookStatus: delivered.statusCode, shipment: after };
          },
        );
      },
      { prefix: '/admin' },
    );
  };
}
