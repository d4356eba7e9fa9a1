import type { FastifyInstance } from 'fastify';
import { ApiError } from '@shop/web';
import { listAudit } from '../../data/audit.ts';
import { auditPage } from '../../pages/audit.ts';
import { contextFor, requirePermission, type Site } from '../context.ts';

const one = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const day = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();

/** The audit log for admins: filters in the URL (shareable), keyset pages, before/after per entry. */
export function auditRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: Record<string, unknown> }>('/audit', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'audit.read');
      if (!me) return reply;
      const q = request.query;
      const filters = {
        action: one(q.action),
        subjectType: one(q.subjectType),
        subjectId: one(q.subjectId),
        actor: one(q.actor),
        from: day(q.from),
        to: day(q.to),
        cursor: one(q.cursor),
      };
      try {
        const page = await listAudit(ctx.staff, {
          action: filters.action,
          subjectType: filters.subjectType,
          subjectId: filters.subjectId,
          actor: filters.actor,
          from: filters.from ? `${filters.from}T00:00:00Z` : undefined,
          to: filters.to ? nextDay(filters.to) : undefined,
          cursor: filters.cursor,
          limit: 50,
        });
        return ctx.render(reply, auditPage({ locale: ctx.staff.locale, entries: page.entries, nextCursor: page.nextCursor, filters }), me);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 400) throw error;
        return ctx.render(reply, { ...auditPage({ locale: ctx.staff.locale, entries: [], nextCursor: null, filters, refused: error.message }), status: 400 }, me);
      }
    });
  };
}
