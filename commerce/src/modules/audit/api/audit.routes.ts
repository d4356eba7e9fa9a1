import type { FastifyInstance } from 'fastify';
import { badRequest, type ZodTypeProvider } from '@shop/platform';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { AuditContext } from '../application/audit.context.ts';
import { decodeCursor, listEntries } from '../application/list-entries.ts';
import { auditPageSchema, auditQuery } from './audit.schemas.ts';

/** `GET /api/admin/audit`: the log of admin actions, newest first, for admins only. */
export async function auditRoutes(app: FastifyInstance, ctx: AuditContext, auth: Authenticator): Promise<void> {
  await app.register(
    async (admin) => {
      guardPermission(admin, auth, 'audit.read');
      const r = admin.withTypeProvider<ZodTypeProvider>();
      r.get(
        '/audit',
        {
          schema: {
            tags: ['audit'],
            security: [{ session: [] }, { bearer: [] }],
            summary: 'Admin actions, newest first: who, what, when, before and after (keyset paginated)',
            querystring: auditQuery,
            response: { 200: auditPageSchema },
          },
        },
        async (request) => {
          const q = request.query;
          const cursor = q.cursor ? decodeCursor(q.cursor) : null;
          if (q.cursor && !cursor) throw badRequest('cursor: must be a nextCursor value from this endpoint');
          const page = await listEntries(
            ctx,
            {
              actorId: q.actor,
              action: q.action,
              subjectType: q.subjectType,
              subjectId: q.subjectId,
              from: q.from ? new Date(q.from) : undefined,
              to: q.to ? new Date(q.to) : undefined,
            },
            cursor,
            q.limit,
          );
          return {
            entries: page.entries.map((e) => ({
              id: e.id,
              actor: { id: e.actorId, role: e.actorRole, email: e.actorEmail },
              action: e.action,
              subject: { type: e.subjectType, id: e.subjectId },
              summary: e.summary,
              before: e.before,
              after: e.after,
              createdAt: e.createdAt.toISOString(),
            })),
            nextCursor: page.nextCursor,
          };
        },
      );
    },
    { prefix: '/admin' },
  );
}
