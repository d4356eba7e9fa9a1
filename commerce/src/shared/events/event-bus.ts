import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@shop/platform';
import type { Database, ModuleMigrations, Sql } from '../database/index.ts';
import { createDeliveryDispatcher } from './delivery-dispatcher.ts';
import { eventEnvelope, type DomainEvent, type EventDefinition } from './domain-event.ts';
import { createEventAdmin, type EventAdmin } from './event-admin.ts';
import { createInlineDeliveries } from './inline-deliveries.ts';
import type { EventBusObserver, EventHandler, SubscribeOptions, Subscription } from './event-handler.ts';
import { eventsMigrations } from './events.migrations.ts';
import { insertEvents, registerSubscriptions } from './outbox.repository.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';

export interface EventBusOptions {
  /** Written into `locked_by`; defaults to host, pid and a random suffix. */
  instanceId?: string;
  /** Fallback poll for missed notifications, due retries and expired leases. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long a claimed delivery stays leased before another instance may take it over. Default 30 s. */
  leaseMs?: number;
  /**
   * Handlers running at once in this instance; the deliveries of one event start together, so up to that event's
   * subscribers − 1 more may run. Default 32: handlers mostly wait (database, gateways, files), not on this process.
   */
  concurrency?: number;
  /**
   * Of `concurrency`, slots only `priority: 'order-path'` deliveries may take; they also start before queued
   * others. 0 runs every delivery in arrival order. Default 4.
   */
  orderPathSlots?: number;
  retry?: Partial<RetryPolicy>;
}

export interface EventBus {
  /** Hand these to `migrate` with the modules' migrations. */
  readonly migrations: ModuleMigrations;
  readonly admin: EventAdmin;
  /**
   * Writes events to the outbox through `tx`, the caller's transaction: they are delivered only
   * if it commits. An event id already stored is skipped. Resolves to how many events were new.
   *
   * @example
   * await db.transaction(async (tx) => {
   *   await orders.insert(tx, order);
   *   await events.publish(tx, OrderCreated.create({ orderId: order.id }));
   * });
   */
  publish(tx: Sql, events: DomainEvent | readonly DomainEvent[]): Promise<number>;
  /**
   * Registers `handler` as `subscriber` for one event type. Call before `start()`; from then on
   * every committed event of that type gets a delivery for this subscriber (earlier ones do not).
   * Handlers must tolerate redelivery: use `context.once` or `context.idempotencyKey`.
   */
  subscribe<Type extends string, Payload, Input>(
    subscriber: string,
    definition: EventDefinition<Type, Payload, Input>,
    handler: EventHandler<DomainEvent<Type, Payload>>,
    options?: SubscribeOptions,
  ): void;
  /** Records the subscriptions and starts dispatching. Run migrations first. */
  start(): Promise<void>;
  /** Stops dispatching and waits for in-flight handlers. */
  stop(): Promise<void>;
}

const SUBSCRIBER = /^[a-z][a-z0-9_.-]{0,99}$/;

/**
 * The commerce event bus: a transactional outbox in the `events` schema with per-subscriber
 * deliveries, retries, dead letters and an inbox. Several instances may share one database.
 */
export function createEventBus(deps: { db: Database; logger: Logger; options?: EventBusOptions; observer?: EventBusObserver }): EventBus {
  const { db, logger, options = {} } = deps;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const subscriptions: Subscription[] = [];
  let started = false;
  let localPairs = '[]';
  /** `localPairs` with the subscriptions declared `inline` marked: for transactions that can run them before their commit. */
  let inlinePairs = '[]';
  let byKey = new Map<string, Subscription>();
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const dispatcher = createDeliveryDispatcher({
    db,
    logger,
    subscriptions: () => subscriptions,
    observer: deps.observer,
    options: {
      instanceId,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      leaseMs,
      concurrency: options.concurrency ?? 32,
      orderPathSlots: options.orderPathSlots ?? 4,
    },
  });
  const inline = createInlineDeliveries({
    db,
    logger,
    observer: deps.observer,
    subscription: (subscriber, eventType) => byKey.get(`${subscriber}\u0000${eventType}`),
    adopt: (deliveries) => dispatcher.adopt(deliveries),
    instanceId,
    leaseMs,
  });

  return {
    migrations: eventsMigrations,
    admin: createEventAdmin(db),
    async publish(tx, events) {
      const list = Array.isArray(events) ? events : [events as DomainEvent];
      // Definitions validate on create; this guards events built by hand or received from elsewhere.
      for (const event of list) eventEnvelope.parse(event);
      // Inside a transaction of a running instance, the deliveries this instance handles are leased
      // to it as they are written, and run as soon as the transaction commits (no claim, no NOTIFY);
      // those of subscriptions declared `inline` are written done and run in it, before its commit.
      const adopt = dispatcher.running && tx.onCommit !== undefined;
      const pairs = tx.beforeCommit ? inlinePairs : localPairs;
      const { inserted, leased } = await insertEvents(tx, list, adopt ? { instanceId, leaseMs, pairs } : undefined);
      if (leased.length > 0) {
        // What handlers get is what the outbox stores: plain JSON, as a claim would read it back.
        const stored = new Map(list.map((e) => [e.id.toLowerCase(), JSON.parse(JSON.stringify(e)) as DomainEvent]));
        const deliveries = leased.map((d) => ({ id: d.id, subscriber: d.subscriber, attempts: 1, event: stored.get(d.eventId.toLowerCase())!, first: d.first }));
        const later = deliveries.filter((_, i) => !leased[i]!.inline);
        const now = deliveries.filter((_, i) => leased[i]!.inline);
        if (later.length > 0) tx.onCommit!(() => dispatcher.adopt(later));
        if (now.length > 0) inline.schedule(tx, now);
      }
      return inserted;
    },
    subscribe(subscriber, definition, handler, subscribeOptions = {}) {
      if (started) throw new Error(`subscribe ${subscriber} before start()`);
      if (!SUBSCRIBER.test(subscriber)) throw new Error(`subscriber name ${subscriber} must match ${SUBSCRIBER}`);
      if (subscriptions.some((s) => s.subscriber === subscriber && s.definition.type === definition.type)) {
        throw new Error(`${subscriber} already subscribes to ${definition.type}`);
      }
      subscriptions.push({
        subscriber,
        definition: definition as unknown as Subscription['definition'],
        handler: handler as EventHandler,
        retry: { ...retry, ...subscribeOptions.retry },
        priority: subscribeOptions.priority ?? 'background',
        inline: subscribeOptions.inline ?? false,
      });
    },
    async start() {
      if (started) return;
      started = true;
      await registerSubscriptions(
        db,
        subscriptions.map((s) => ({ subscriber: s.subscriber, eventType: s.definition.type })),
      );
      localPairs = JSON.stringify(subscriptions.map((s) => ({ subscriber: s.subscriber, event_type: s.definition.type })));
      inlinePairs = JSON.stringify(subscriptions.map((s) => ({ subscriber: s.subscriber, event_type: s.definition.type, inline: s.inline })));
      byKey = new Map(subscriptions.map((s) => [`${s.subscriber}\u0000${s.definition.type}`, s]));
      await dispatcher.start();
    },
    stop: () => dispatcher.stop(),
  };
}
