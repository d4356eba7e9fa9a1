import { notFound, type ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { mayView, orderViewerOf } from '../../../shared/http/order-viewer.ts';
import { pdfOf } from '../application/document-pdf.ts';
import type { InvoicesContext } from '../application/invoices.context.ts';
import type { InvoiceDocument } from '../domain/invoice-document.ts';
import { adminDocumentParams, documentListSchema, documentParams, errorResponses, orderIdParams, orderTokenHeaders, pdfResponse } from './invoices.schemas.ts';

const toView = (d: InvoiceDocument) => ({
  id: d.id,
  kind: d.kind,
  number: d.number,
  orderId: d.orderId,
  totalMinor: d.totalMinor,
  currency: d.currency,
  issuedAt: d.issuedAt.toISOString(),
  correctsNumber: d.content.correctsNumber,
});

async function sendPdf(ctx: InvoicesContext, reply: FastifyReply, doc: InvoiceDocument) {
  const pdf = await pdfOf(ctx, doc);
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${doc.number}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(pdf));
}

/**
 * Invoices and credit notes, mounted under `/api`: the order's reader (its customer, an admin, a
 * guest with the order's token) and, under `/api/admin`, staff with `orders.read`. A document of
 * someone else's order is answered 404, as an unknown one, so ids cannot be probed.
 */
export function invoiceRoutes(ctx: InvoicesContext, auth: Authenticator) {
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }, {}];
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/orders/:id/invoices',
      {
        schema: {
          tags: ['invoices'],
          security,
          summary: "The order's invoice and credit notes, oldest first (empty until the payment is captured)",
          params: orderIdParams,
          headers: orderTokenHeaders,
          response: { 200: documentListSchema, ...errorResponses },
        },
      },
      async (request) => {
        const docs = await ctx.documents.listFor(ctx.db, request.params.id);
        const viewer = await orderViewerOf(request, auth);
        if (docs.length > 0 && !mayView(docs[0]!, viewer)) throw notFound(`Order ${request.params.id}`);
        return { documents: docs.map(toView) };
      },
    );
    app.get(
      '/orders/:id/invoices/:documentId/pdf',
      {
        schema: {
          tags: ['invoices'],
          security,
          summary: 'An invoice or credit note of the order as a PDF',
          params: documentParams,
          headers: orderTokenHeaders,
          response: { 200: pdfResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const doc = await ctx.documents.find(ctx.db, request.params.documentId);
        if (!doc || doc.orderId !== request.params.id || !mayView(doc, await orderViewerOf(request, auth))) throw notFound(`Document ${request.params.documentId}`);
        return sendPdf(ctx, reply, doc);
      },
    );
  };
}

export function adminInvoiceRoutes(ctx: InvoicesContext, auth: Authenticator) {
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
  return async (root: FastifyInstance): Promise<void> => {
    guardPermission(root, auth, 'orders.read');
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/orders/:id/invoices',
      {
        schema: { tags: ['invoices admin'], security, summary: "The order's invoice and credit notes, oldest first", params: orderIdParams, response: { 200: documentListSchema, ...errorResponses } },
      },
      async (request) => ({ documents: (await ctx.documents.listFor(ctx.db, request.params.id)).map(toView) }),
    );
    app.get(
      '/invoices/:documentId/pdf',
      {
        schema: { tags: ['invoices admin'], security, summary: 'An invoice or credit note as a PDF', params: adminDocumentParams, response: { 200: pdfResponse, ...errorResponses } },
      },
      async (request, reply) => {
        const doc = await ctx.documents.find(ctx.db, request.params.documentId);
        if (!doc) throw notFound(`Document ${request.params.documentId}`);
        return sendPdf(ctx, reply, doc);
      },
    );
  };
}
