import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@shop/platform';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { anonymousIdOf } from './api/visitor.http.ts';
import { completePaidOrder, forgetCancelledOrder, rememberCreatedOrder } from './application/complete-order.ts';
import { OrderCancelled, OrderCreated, OrderPaid } from '../../events/orders.events.ts';
import { toSegmentMessage } from './application/track-response.ts';
import { eventsFor, isTrackedRoute, VIEW_TRACKING_HEADER } from './domain/tracked-routes.ts';
import { createCollectorClient, type CollectorClient } from './infrastructure/collector.client.ts';
import { createForwarder, type ForwarderStats } from './infrastructure/forwarder.ts';
import { orderFactsRepository, rememberCheckoutVisitor } from './infrastructure/order-facts.repository.ts';
import { countSpooled, messageSpool } from './infrastructure/outbox.repository.ts';
import { createSpoolBuffer } from './infrastructure/spool-buffer.ts';
import { trackingMigrations } from './infrastructure/tracking.migrations.ts';

export interface TrackingConfig {
  /** The analytics collector's base URL, e.g. `http://127.0.0.1:3100`. Unset (or no write key): tracking is off. */
  analyticsUrl?: string;
  /** The `demo-shop` tenant's write key (`wk_...`). */
  writeKey?: string;
  /** How often buffered events are written to the spool; a crash loses at most this much. */
  flushMs: number;
  /** Messages per `/v1/batch` request, at most 100. */
  batchSize: number;
  cookieSecure?: boolean;
  /** Events held in memory while the database is unreachable before the oldest are dropped. Default 10,000. */
  maxBuffered?: number;
  /** Poll of an empty spool. Default 500 ms. */
  idleMs?: number;
  /** Back-off after failed sends. Default 500 ms doubling up to 30 s. */
  backoff?: { baseMs: number; maxMs: number };
  /** Per-request timeout of a send. Default 10 s. */
  sendTimeoutMs?: number;
}

export interface TrackingModuleDeps {
  db: Database;
  auth: Pick<Authenticator, 'identify'>;
  /** Order events: `Order Completed` comes from `orders.order_paid.v1`. */
  events: Pick<EventBus, 'subscribe'>;
  logger: Logger;
  config: TrackingConfig;
  /** Tests stand in for the HTTP collector. */
  client?: CollectorClient;
}

export interface TrackingStats extends ForwarderStats {
  enabled: boolean;
  /** In memory, not yet in the spool. */
  buffered: number;
  /** In `tracking.outbox`, not yet delivered. */
  spooled: number;
  droppedOverflow: number;
}

export interface TrackingApi {
  /**
   * Fastify `onRequest` hook: gives tracked requests an anonymous id and sets the
   * `ajs_anonymous_id` cookie when absent (only possible before the answer is sent).
   */
  assignAnonymousId(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /**
   * Fastify `onResponse` hook: turns tracked answers into Segment events, buffered in memory.
   * Never throws and never delays the answer (it runs after the answer went out).
   */
  observe(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Called from the users module's sign-in hook, so `Signed Up` carries the new user's id. */
  noteSignedIn(userId: string, request: FastifyRequest): void;
  /** Writes the in-memory buffer to the spool now (tests, shutdown). */
  flush(): Promise<void>;
  stats(): Promise<TrackingStats>;
}

/**
 * The tracking module: the shop is the analytics platform's first tenant. Shopper behaviour
 * (HTTP answers, paid orders) becomes Segment messages, spooled in `tracking.outbox` and
 * forwarded in the background to the collector, so the shop works on while analytics is down.
 *
 * @example
 * const tracking = createTrackingModule({ db, auth, events, logger, config: { analyticsUrl, writeKey, flushMs: 100, batchSize: 100 } });
 * api.addHook('onRequest', tracking.api.assignAnonymousId);
 * api.addHook('onResponse', tracking.api.observe);
 */
const viewsTrackedByClient = (request: FastifyRequest) => request.headers[VIEW_TRACKING_HEADER] === 'client';

export function createTrackingModule(deps: TrackingModuleDeps): CommerceModule<TrackingApi> {
  const { db, auth, logger, config } = deps;
  const enabled = Boolean(config.analyticsUrl && config.writeKey);
  const cookieSecure = config.cookieSecure ?? false;
  const batchSize = Math.min(100, Math.max(1, config.batchSize));
  const anonymousIds = new WeakMap<FastifyRequest, string>();
  const signedIn = new WeakMap<FastifyRequest, string>();
  const buffer = createSpoolBuffer({ db, logger, flushMs: config.flushMs, maxBuffered: config.maxBuffered ?? 10_000 });
  const client =
    deps.client ??
    (enabled ? createCollectorClient({ url: config.analyticsUrl!, writeKey: config.writeKey!, timeoutMs: config.sendTimeoutMs ?? 10_000 }) : undefined);
  const forwarder = client
    ? createForwarder({
        db,
        client,
        logger,
        options: {
          batchSize,
          idleMs: config.idleMs ?? 500,
          leaseMs: Math.max(30_000, 3 * (config.sendTimeoutMs ?? 10_000)),
          backoff: config.backoff ?? { baseMs: 500, maxMs: 30_000 },
        },
      })
    : undefined;

  if (enabled) {
    const ports = { orderFacts: orderFactsRepository, spool: messageSpool };
    deps.events.subscribe('tracking', OrderCreated, (event, context) => rememberCreatedOrder(ports, event, context));
    deps.events.subscribe('tracking', OrderPaid, (event, context) => completePaidOrder(ports, event, context));
    deps.events.subscribe('tracking', OrderCancelled, (event, context) => forgetCancelledOrder(ports, event, context));
  } else {
    logger.info('tracking off: ANALYTICS_URL or ANALYTICS_WRITE_KEY unset');
  }

  const api: TrackingApi = {
    async assignAnonymousId(request, reply) {
      if (!enabled || !isTrackedRoute(request.method, request.routeOptions.url)) return;
      // A client that tracks views itself keeps its visitors' ids too; its reads may be shared by many shoppers.
      if (viewsTrackedByClient(request)) return;
      anonymousIds.set(request, anonymousIdOf(request, reply, cookieSecure));
    },
    async observe(request, reply) {
      if (!enabled) return;
      try {
        const events = eventsFor({
          method: request.method,
          route: request.routeOptions.url,
          status: reply.statusCode,
          params: (request.params ?? {}) as Record<string, unknown>,
          query: (request.query ?? {}) as Record<string, unknown>,
          body: request.body,
          location: reply.getHeader('location')?.toString(),
          viewsTrackedByClient: viewsTrackedByClient(request),
        });
        if (events.length === 0) return;
        const principal = await auth.identify(request).catch(() => null);
        const anonymousId = anonymousIds.get(request) ?? anonymousIdOf(request, undefined, cookieSecure);
        const userId = principal?.userId ?? signedIn.get(request);
        const userAgent = request.headers['user-agent'];
        const visitor = { anonymousId, ...(userId ? { userId } : {}), ip: request.ip, ...(userAgent ? { userAgent } : {}) };
        const at = new Date();
        for (const event of events) {
          buffer.push(toSegmentMessage(event, visitor, at));
          if (event.orderId) {
            rememberCheckoutVisitor(db, event.orderId, anonymousId).catch((error: unknown) =>
              logger.warn({ err: error, orderId: event.orderId }, 'checkout visitor not recorded; Order Completed falls back to another anonymous id'),
            );
          }
        }
      } catch (error) {
        // Analytics must never break the shop: a bug here is logged, the request is long answered.
        logger.error({ err: error }, 'tracking hook failed');
      }
    },
    noteSignedIn(userId, request) {
      signedIn.set(request, userId);
    },
    flush: () => buffer.flush(),
    async stats() {
      const spooled = await countSpooled(db).catch(() => -1);
      const { buffered, droppedOverflow } = buffer.stats();
      const f = forwarder?.stats() ?? { forwarded: 0, droppedInvalid: 0, failedSends: 0, consecutiveFailures: 0 };
      return { enabled, buffered, spooled, droppedOverflow, ...f };
    },
  };

  return {
    name: 'tracking',
    api,
    migrations: trackingMigrations,
    async start() {
      if (!enabled) return;
      buffer.start();
      forwarder?.start();
    },
    async stop() {
      await buffer.stop();
      await forwarder?.stop();
    },
  };
}
