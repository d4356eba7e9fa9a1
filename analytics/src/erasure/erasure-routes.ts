import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { badRequest, conflict, notFound, type ZodTypeProvider } from '@shop/platform';
import type { ObjectStore } from '../storage/index.ts';
import { requireAdminToken } from '../tenants/index.ts';
import { erasedIdentities, type ErasureRequest, ErasureRequestCorruptError, listErasureRequests, readErasureRequest, recordErasure } from '../privacy/index.ts';

export interface ErasureRoutesDeps {
  store: ObjectStore;
  adminToken: string | undefined;
  tenantExists: (tenantId: string) => Promise<boolean>;
  /** Wakes the erasure runner; not awaited: the answer is given once the request is recorded. */
  nudge: () => unknown;
}

const id = z.string().min(1).max(200);
const body = z
  .object({
    userId: id.optional().describe('the userId the tenant sends in identify/track calls'),
    anonymousIds: z.array(id).max(100).optional().describe('device ids of the person, if known (linked ones are found in the raw store)'),
  })
  .strict();
const params = z.object({ id: z.string().min(1).max(48) });

// Digests stay server-side: a digest of an email can be tested against guesses.
const view = z.object({
  id: z.string(),
  tenantId: z.string(),
  status: z.enum(['pending', 'done']),
  requestedAt: z.string(),
  identities: z.number().int().describe('ids covered: those asked for plus the linked ones found'),
  steps: z.object({
    expandedAt: z.string().optional(),
    rewrittenAt: z.string().optional(),
    recomputedAt: z.string().optional(),
    speedRebuiltAt: z.string().optional(),
  }),
  completedAt: z.string().optional(),
  counts: z
    .object({
      identities: z.number(),
      objectsScanned: z.number(),
      objectsRewritten: z.number(),
      objectsDeleted: z.number(),
      linesRemoved: z.number(),
      datesRecomputed: z.number(),
    })
    .optional(),
});

const publicView = (r: ErasureRequest): z.infer<typeof view> => ({
  id: r.id,
  tenantId: r.tenantId,
  status: r.status,
  requestedAt: r.requestedAt,
  identities: r.identities.length,
  steps: {
    ...(r.expandedAt ? { expandedAt: r.expandedAt } : {}),
    ...(r.rewrittenAt ? { rewrittenAt: r.rewrittenAt } : {}),
    ...(r.recomputedAt ? { recomputedAt: r.recomputedAt } : {}),
    ...(r.speedRebuiltAt ? { speedRebuiltAt: r.speedRebuiltAt } : {}),
  },
  ...(r.completedAt ? { completedAt: r.completedAt } : {}),
  ...(r.counts ? { counts: r.counts } : {}),
});

/** A damaged request object is the operator's to repair: said as such, not as a server error. */
async function readable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ErasureRequestCorruptError) throw conflict('ERASURE.UNREADABLE', `${error.message}; repair or delete the object`);
    throw error;
  }
}

/**
 * `/admin/tenants/:id/erasures`: GDPR erasure requests behind the admin token. A POST records
 * the request durably and answers 202; the erasure runner completes it in the background (raw
 * store, batch views, speed buckets), and its status is read back with GET.
 */
export async function registerErasureRoutes(app: FastifyInstance, deps: ErasureRoutesDeps): Promise<void> {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['admin: erasures'];
    const security = [{ adminToken: [] }];
    api.addHook('preHandler', requireAdminToken(deps.adminToken));
    const tenantOf = async (tenantId: string) => {
      if (!(await deps.tenantExists(tenantId))) throw notFound(`Tenant ${tenantId}`);
      return tenantId;
    };

    api.post(
      '/admin/tenants/:id/erasures',
      {
        schema: {
          tags,
          security,
          summary: "Erase a person's events (GDPR art. 17): raw store, batch views and speed buckets",
          description:
            'Answers 202 once the request is recorded: from then on no new event of the person is archived or counted. ' +
            'Poll the Location for completion. The same ids again answer the same request (200 once done).',
          params,
          body,
          response: { 200: view, 202: view },
        },
      },
      async (request, reply) => {
        const tenantId = await tenantOf(request.params.id);
        const { userId, anonymousIds = [] } = request.body;
        if (!userId && anonymousIds.length === 0) throw badRequest('Name the person: send a userId, anonymousIds, or both');
        const recorded = await readable(() => recordErasure(deps.store, tenantId, erasedIdentities(tenantId, { userIds: userId ? [userId] : [], anonymousIds })));
        if (recorded.status === 'pending') deps.nudge();
        return reply
          .status(recorded.status === 'done' ? 200 : 202)
          .header('location', `/admin/tenants/${encodeURIComponent(tenantId)}/erasures/${recorded.id}`)
          .send(publicView(recorded));
      },
    );

    api.get(
      '/admin/tenants/:id/erasures',
      {
        schema: {
          tags,
          security,
          summary: "The tenant's erasure requests, oldest first",
          params,
          response: {
            200: z.object({
              erasures: z.array(view),
              unreadable: z.array(z.string()).describe('keys of request objects that could not be read (damaged): repair or delete them'),
            }),
          },
        },
      },
      async (request) => {
        const tenantId = await tenantOf(request.params.id);
        const unreadable: string[] = [];
        const erasures = await listErasureRequests(deps.store, tenantId, { onUnreadable: (key) => unreadable.push(key) });
        return { erasures: erasures.map(publicView), unreadable };
      },
    );

    api.get(
      '/admin/tenants/:id/erasures/:requestId',
      {
        schema: {
          tags,
          security,
          summary: 'One erasure request and the steps it has completed',
          params: params.extend({ requestId: z.string().regex(/^er-[0-9a-f]{24}$/, { message: 'must be an erasure request id (er-...)' }) }),
          response: { 200: view },
        },
      },
      async (request) => {
        const tenantId = await tenantOf(request.params.id);
        const found = await readable(() => readErasureRequest(deps.store, tenantId, request.params.requestId));
        if (!found) throw notFound(`Erasure request ${request.params.requestId}`);
        return publicView(found);
      },
    );
  });
}
