import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@shop/web';
import { documentPdf } from '../../data/invoices.ts';
import { decideReturn, listReturns, receiveReturn } from '../../data/returns.ts';
import { RETURN_STATUSES, returnsPage } from '../../pages/returns.ts';
import { notFoundPage } from '../../pages/status.ts';
import { can, contextFor, formAllowed, requirePermission, type Site } from '../context.ts';
import { localPath, one, type FormBody } from './form-values.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type ReturnStatus = (typeof RETURN_STATUSES)[number];
const statusOf = (v: unknown): ReturnStatus | undefined => (RETURN_STATUSES as readonly unknown[]).includes(v) ? (v as ReturnStatus) : undefined;

/** The returns queue and its actions, and invoice PDFs served from this origin. */
export function returnRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { status?: string; done?: string } }>('/returns', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'orders.read');
      if (!me) return reply;
      const status = statusOf(request.query.status);
      const { returns } = await listReturns(ctx.staff, status);
      const csrf = ctx.staff.cookies.csrf_token ?? '';
      return ctx.render(reply, returnsPage({ locale: ctx.staff.locale, csrf, status, returns, canManage: can(me, 'orders.manage'), flash: request.query.done?.slice(0, 300) }), me);
    });

    const act =
      (action: (staffCtx: ReturnType<typeof contextFor>, id: string, body: FormBody) => Promise<string>) =>
      async (request: FastifyRequest<{ Params: { id: string }; Body: FormBody }>, reply: FastifyReply) => {
        const ctx = contextFor(site, request);
        const me = await requirePermission(ctx, request, reply, 'orders.manage');
        if (!me) return reply;
        if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
        if (!UUID.test(request.params.id)) return ctx.render(reply, notFoundPage(), me);
        const body = request.body ?? {};
        const back = localPath(one(body, 'back'), '/returns');
        try {
          const message = await action(ctx, request.params.id, body);
          return ctx.redirect(reply, `${back}${back.includes('?') ? '&' : '?'}done=${encodeURIComponent(message)}`);
        } catch (error) {
          if (!(error instanceof ApiError) || error.status >= 500) throw error;
          const { returns } = await listReturns(ctx.staff);
          const page = returnsPage({ locale: ctx.staff.locale, csrf: ctx.staff.cookies.csrf_token ?? '', returns, canManage: true, error: `${error.message} (${error.code})` });
          return ctx.render(reply, { ...page, status: error.status }, me);
        }
      };

    app.post<{ Params: { id: string }; Body: FormBody }>(
      '/returns/:id/decide',
      act(async (ctx, id, body) => {
        const decision = one(body, 'decision') === 'refuse' ? 'refuse' : 'approve';
        const note = one(body, 'note').trim().slice(0, 500) || undefined;
        const r = await decideReturn(ctx.staff, id, decision, note);
        return `Return of ${r.orderNumber} ${r.status}`;
      }),
    );
    app.post<{ Params: { id: string }; Body: FormBody }>(
      '/returns/:id/receive',
      act(async (ctx, id, body) => {
        const disposition = one(body, 'disposition') === 'write_off' ? 'write_off' : 'restock';
        const r = await receiveReturn(ctx.staff, id, disposition);
        return `Return of ${r.orderNumber} received (${disposition === 'restock' ? 'restocked' : 'written off'}); refund requested`;
      }),
    );

    app.get<{ Params: { id: string; documentId: string } }>('/orders/:id/documents/:documentId', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'orders.read');
      if (!me) return reply;
      const pdf = UUID.test(request.params.documentId) ? await documentPdf(ctx.staff, request.params.documentId) : null;
      if (!pdf) return ctx.render(reply, notFoundPage(), me);
      return reply.type('application/pdf').header('cache-control', 'private, no-store').header('content-disposition', 'attachment; filename="document.pdf"').send(pdf);
    });
  };
}
