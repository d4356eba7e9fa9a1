import type { FastifyInstance } from 'fastify';
import { ApiError } from '@shop/web';
import { getHealth, getMail, getMailHtml, listDeadLetters, listMail, replayDeadLetters } from '../../data/operations.ts';
import { deadLettersPage, healthPage, mailListPage, mailPage } from '../../pages/operations.ts';
import { notFoundPage } from '../../pages/status.ts';
import { contextFor, formAllowed, requirePermission, type Site } from '../context.ts';
import { all, one, type FormBody } from './form-values.ts';

/** What a captured email may do when framed: nothing but look (no scripts, forms or requests). */
export const MAIL_FRAME_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";
const MAIL_ID = /^[0-9a-f]{64}$/;
const DEAD_LETTERS_PER_PAGE = 50;

export function operationsRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get('/operations', async (request, reply) => contextFor(site, request).redirect(reply, '/operations/dead-letters'));

    app.get<{ Querystring: { before?: string } }>('/operations/dead-letters', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'operations.manage');
      if (!me) return reply;
      const before = Number(request.query.before);
      const beforeId = Number.isSafeInteger(before) && before > 0 ? before : undefined;
      const deliveries = await listDeadLetters(ctx.staff, { beforeId }, DEAD_LETTERS_PER_PAGE + 1);
      const older = deliveries.length > DEAD_LETTERS_PER_PAGE ? deliveries[DEAD_LETTERS_PER_PAGE - 1]!.id : null;
      const page = deadLettersPage({ locale: ctx.staff.locale, csrf: ctx.staff.cookies.csrf_token ?? '', deliveries: deliveries.slice(0, DEAD_LETTERS_PER_PAGE), older, later: beforeId !== undefined });
      return ctx.render(reply, page, me);
    });

    app.post<{ Body: FormBody }>('/operations/dead-letters/replay', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'operations.manage');
      if (!me) return reply;
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      const body = request.body ?? {};
      const chosen = one(body, 'only') ? [one(body, 'only')] : all(body, 'ids');
      const ids = [...new Set(chosen.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))];
      if (ids.length === 0) {
        const deliveries = await listDeadLetters(ctx.staff, {}, DEAD_LETTERS_PER_PAGE);
        const page = deadLettersPage({ locale: ctx.staff.locale, csrf: ctx.staff.cookies.csrf_token ?? '', deliveries, older: null, later: false, error: 'Select the dead letters to replay first.' });
        return ctx.render(reply, { ...page, status: 400 }, me);
      }
      const result = await replayDeadLetters(ctx.staff, ids);
      const skipped = result.skipped.length ? `; ${result.skipped.length} no longer dead (already replayed)` : '';
      return ctx.redirect(reply, `/operations/dead-letters?done=${encodeURIComponent(`Replayed ${result.replayed.length} ${result.replayed.length === 1 ? 'delivery' : 'deliveries'}${skipped}`)}`);
    });

    app.get('/operations/mail', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'operations.manage');
      if (!me) return reply;
      try {
        return ctx.render(reply, mailListPage({ locale: ctx.staff.locale, messages: await listMail(ctx.staff) }), me);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return ctx.render(reply, mailListPage({ locale: ctx.staff.locale, messages: [], disabled: error.message }), me);
        throw error;
      }
    });

    app.get<{ Params: { id: string } }>('/operations/mail/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'operations.manage');
      if (!me) return reply;
      if (!MAIL_ID.test(request.params.id)) return ctx.render(reply, notFoundPage(), me);
      try {
        return ctx.render(reply, mailPage({ locale: ctx.staff.locale, message: await getMail(ctx.staff, request.params.id) as never }), me);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return ctx.render(reply, notFoundPage(), me);
        throw error;
      }
    });

    // The iframe's document: the email's own HTML under a CSP `sandbox` of its own, so it stays inert even opened directly.
    app.get<{ Params: { id: string } }>('/operations/mail/:id/content', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'operations.manage');
      if (!me) return reply;
      const body = MAIL_ID.test(request.params.id) ? await getMailHtml(ctx.staff, request.params.id) : null;
      if (body === null) return reply.status(404).type('text/plain; charset=utf-8').send('No such email');
      return reply
        .header('content-security-policy', MAIL_FRAME_CSP)
        .header('x-frame-options', 'SAMEORIGIN')
        .header('cache-control', 'private, no-store')
        .type('text/html; charset=utf-8')
        .send(body);
    });

    app.get('/operations/health', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'operations.manage');
      if (!me) return reply;
      return ctx.render(reply, healthPage({ locale: ctx.staff.locale, health: await getHealth(ctx.staff) }), me);
    });
  };
}
