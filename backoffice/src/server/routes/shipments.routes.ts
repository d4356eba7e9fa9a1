import type { FastifyInstance } from 'fastify';
import { ApiError } from '@shop/web';
import { advanceShipment, listShipments, shipmentLabel } from '../../data/shipments.ts';
import { shipmentsPage } from '../../pages/shipments.ts';
import { notFoundPage } from '../../pages/status.ts';
import { contextFor, formAllowed, requirePermission, type Site } from '../context.ts';
import { localPath, one, type FormBody } from './form-values.ts';

const STATUSES = new Set(['label_purchased', 'in_transit', 'delivered']);
const UUID = /^[0-9a-f-]{36}$/i;

export function shipmentRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { status?: string; cursor?: string } }>('/shipments', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'shipments.manage');
      if (!me) return reply;
      const status = STATUSES.has(request.query.status ?? '') ? request.query.status : undefined;
      const cursor = /^[\w-]{1,500}$/.test(request.query.cursor ?? '') ? request.query.cursor : undefined;
      try {
        const page = await listShipments(ctx.staff, { status, cursor });
        const csrf = ctx.staff.cookies.csrf_token ?? '';
        return ctx.render(reply, shipmentsPage({ locale: ctx.staff.locale, csrf, status, cursor, shipments: page.shipments, nextCursor: page.nextCursor }), me);
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) return ctx.redirect(reply, '/shipments');
        throw error;
      }
    });

    app.post<{ Params: { id: string }; Body: FormBody }>('/shipments/:id/advance', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'shipments.manage');
      if (!me) return reply;
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      const body = request.body ?? {};
      const back = localPath(one(body, 'back'), '/shipments');
      const status = one(body, 'status');
      if (!UUID.test(request.params.id) || (status !== 'in_transit' && status !== 'delivered')) return ctx.render(reply, notFoundPage(), me);
      try {
        const moved = await advanceShipment(ctx.staff, request.params.id, status);
        const message = `Shipment ${moved.shipment.trackingNumber} is now ${moved.shipment.status.replace('_', ' ')}`;
        return ctx.redirect(reply, `${back}${back.includes('?') ? '&' : '?'}done=${encodeURIComponent(message)}`);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        const { shipments, nextCursor } = await listShipments(ctx.staff, {});
        const page = shipmentsPage({ locale: ctx.staff.locale, csrf: ctx.staff.cookies.csrf_token ?? '', shipments, nextCursor, error: `${error.message} (${error.code})` });
        return ctx.render(reply, { ...page, status: error.status }, me);
      }
    });

    // The label is a document from elsewhere: shown as an image of this origin, sandboxed like captured mail.
    app.get<{ Params: { id: string } }>('/shipments/:id/label', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'orders.read');
      if (!me) return reply;
      const svg = UUID.test(request.params.id) ? await shipmentLabel(ctx.staff, request.params.id) : null;
      if (svg === null) return ctx.render(reply, notFoundPage(), me);
      return reply
        .header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
        .header('content-disposition', `inline; filename="label-${request.params.id}.svg"`)
        .header('cache-control', 'private, no-store')
        .type('image/svg+xml; charset=utf-8')
        .send(svg);
    });
  };
}
