import type { FastifyInstance } from 'fastify';
import { conflict, notFound, type ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../http/auth.ts';
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
 * await api.register(eventAdminRoutes({ bus: events, auth }));
 */
export function eventAdminRoutes(deps: { bus: { admin: EventAdmin }; auth: Authenticator }) {
  const { admin } = deps.bus;
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(
      async (scope) => {
        scope.addHook('onRequest', async (request) => {
          await deps.auth.requireAdmin(request); // admins only: operations.manage
        });
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
            if (result.ok) return result.delivery;
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
            return admin.replayMany('ids' in b ? { ids: b.ids } : { subscriber: b.subscriber, eventType: b.eventType, limit: b.limit });
          },
        );
      },
      { prefix: '/admin/events' },
    );
  };
}
