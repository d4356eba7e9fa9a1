import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { documentPdf } from '../../data/invoices.ts';
import { getOrder } from '../../data/orders.ts';
import { requestReturn } from '../../data/returns.ts';
import { ApiError } from '../../data/shopper.ts';
import { notFoundPage } from '../../pages/status.ts';
import { contextFor, formAllowed, type Site } from '../context.ts';
import { ORDER_ID, tokenFrom } from './checkout.routes.ts';
import { renderOrderPage } from './order-page.ts';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

/** Returns asked from the order page, and its invoice and credit notes served as PDFs of this origin. */
export function returnRoutes(site: Site) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>('/orders/:id/returns', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const token = tokenFrom(request.query);
      const order = ORDER_ID.test(request.params.id) ? await getOrder(ctx.shopper, request.params.id, token) : null;
      if (!order) return ctx.render(reply, notFoundPage());
      const body = request.body ?? {};
      const quantities: Record<string, string> = {};
      const lines = order.lines.flatMap((l) => {
        const raw = body[`qty_${l.variantId}`] ?? '0';
        quantities[l.variantId] = raw;
        const quantity = Number.parseInt(raw, 10);
        return Number.isInteger(quantity) && quantity > 0 ? [{ variantId: l.variantId, quantity }] : [];
      });
      const reason = (body.reason ?? '').trim();
      const form = { reason, quantities };
      if (lines.length === 0) return renderOrderPage(ctx, reply, order, token, { ...form, alert: 'Choose how many of which item to return.' });
      if (!reason) return renderOrderPage(ctx, reply, order, token, { ...form, alert: 'Tell us why you are returning it.' });
      const key = body.key && KEY_PATTERN.test(body.key) ? body.key : `ret-${randomUUID()}`;
      try {
        await requestReturn(ctx.shopper, order.id, { lines, reason }, key, token);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        return renderOrderPage(ctx, reply, order, token, { ...form, alert: e.message });
      }
      return ctx.redirect(reply, `/orders/${order.id}${token ? `?token=${encodeURIComponent(token)}` : ''}#returns`);
    });

    app.get<{ Params: { id: string; documentId: string } }>('/orders/:id/documents/:documentId', async (request, reply) => {
      const ctx = contextFor(site, request);
      const { id, documentId } = request.params;
      const pdf = ORDER_ID.test(id) && ORDER_ID.test(documentId) ? await documentPdf(ctx.shopper, id, documentId, tokenFrom(request.query)) : null;
      if (!pdf) return ctx.render(reply, notFoundPage());
      return reply.type('application/pdf').header('cache-control', 'private, no-store').header('content-disposition', 'attachment; filename="document.pdf"').send(pdf);
    });
  };
}
