import type { FastifyInstance } from 'fastify';
import { conflict, notFound, type ZodTypeProvider } from '@shop/platform';
import { guardPermission } from '../http/admin-guard.ts';
import type { Authenticator, Principal } from '../http/auth.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { Database } from '../database/index.ts';
import type { DeliveryView } from './event-admin.ts';
import type { EventAdmin } from './event-admin.ts';
import {
  deadLetterQuery,
  deliveryList,
  deliveryParams,
  deliveryQuery,
  deliverySchema,
  replayManyBody,
  replayManyResponse,
  statsResponse,
} from './event-admin.schemas.ts';

/**
 * Admin routes for the event bus under `/admin/events` (mounted below `/api`): deliveries with
 * filters, dead letters, per-subscriber stats, and replay of a dead delivery. Admins only; the
 * guard runs on `onRequest` so anonymous callers learn nothing about the schemas.
 *
 * @example
 * await api.register(eventAdminRoutes({ bus: events, auth, db, audit: audit.api }));
 */
export function eventAdminRoutes(deps: { bus: { admin: EventAdmin }; auth: Authenticator; db?: Database; audit?: AuditTrail }) {
  const { admin } = deps.bus;
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(
      async (scope) => {
        const caller = guardPermission(scope, deps.auth, 'operations.manage');
        // A replay runs handlers again: who asked for it is recorded, one entry per delivery.
        const recordReplays = async (actor: Principal, replayed: readonly DeliveryView[]) => {
          const { db, audit } = deps;
          if (!db || !audit || replayed.length === 0) return;
          await db.transaction(async (tx) => {
            for (const d of replayed) {
              await audit.record(tx, {
                actor,
                action: 'delivery.replay',
                subject: { type: 'delivery', id: String(d.id) },
                summary: `${d.eventType} → ${d.subscriber} replayed (${d.lastError ?? 'no error'})`,
                before: { status: 'dead', lastError: d.lastError },
                after: { status: d.status, attempts: d.attempts },
              });
            }
          });
        };
        const r = scope.withTypeProvider<ZodTypeProvider>();
        const tags = ['events admin'];
        const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

        r.get(
          '/deliveries',
          { schema: { tags, security, summary: 'Deliveries, newest first, filtered by status, subscriber, type or event', querystring: deliveryQuery, response: { 200: deliveryList } } },
          async (request) => ({ deliveries: await admin.listDeliveries(request.query) }),
        );

        r.get(
          '/dead-letters',
          { schema: { tags, security, summary: 'Deliveries that ran out of attempts', querystring: deadLetterQuery, response: { 200: deliveryList } } },
          async (request) => ({ deliveries: await admin.listDeliveries({ ...request.query, status: 'dead' }) }),
        );

        r.get(
          '/stats',
          { schema: { tags, security, summary: 'Delivery counts per subscriber and the age of the oldest pending one', response: { 200: statsResponse } } },
          async () => ({ subscribers: await admin.stats() }),
        );

        r.post(
          '/deliveries/:id/replay',
          { schema: { tags, security, summary: 'Give a dead delivery a fresh set of attempts, due now', params: deliveryParams, response: { 200: deliverySchema } } },
          async (request) => {
            const result = await admin.replay(request.params.id);
            if (result.ok) {
              await recordReplays(caller(request), [result.delivery]);
              return result.delivery;
            }
            if (result.code === 'NOT_FOUND') throw notFound(`Delivery ${request.params.id}`);
            throw conflict('DELIVERY_NOT_DEAD', `Delivery ${request.params.id} is not dead; only dead deliveries can be replayed`);
          },
        );

        // Replay is safe because every handler is idempotent (inbox or idempotency keys): a replayed delivery has one effect.
        r.post(
          '/dead-letters/replay',
          {
            schema: {
              tags,
              security,
              summary: 'Replay several dead deliveries: by id, or all of a subscriber / event type; each one not dead is reported as skipped',
              body: replayManyBody,
              response: { 200: replayManyResponse },
            },
          },
          async (request) => {
            const b = request.body;
            const result = await admin.replayMany('ids' in b ? { ids: b.ids } : { subscriber: b.subscriber, eventType: b.eventType, limit: b.limit });
            await recordReplays(caller(request), result.replayed);
            return result;
          },
        );
      },
      { prefix: '/admin/events' },
    );
  };
}
