import type { Logger } from '@shop/platform';
import type { Database } from '../database/index.ts';
import { claimDeliveries, markDone, markFailed, type ClaimedDelivery } from './delivery.repository.ts';
import { OUTBOX_CHANNEL } from './events.migrations.ts';
import type { EventBusObserver, HandlerContext, Subscription } from './event-handler.ts';
import { handleOnce, idempotencyKey } from './inbox.ts';
import { retryDelayMs } from './retry-policy.ts';

export interface DispatcherOptions {
  instanceId: string;
  pollIntervalMs: number;
  leaseMs: number;
  concurrency: number;
}

export interface DeliveryDispatcher {
  start(): Promise<void>;
  /** Stops claiming, then waits for every handler already running to finish and record its outcome. */
  stop(): Promise<void>;
}

const subscriptionKey = (subscriber: string, eventType: string) => `${subscriber}\u0000${eventType}`;

/**
 * Claims and runs deliveries for this instance's subscriptions. NOTIFY (sent at commit) wakes it
 * within milliseconds; the poll catches missed notifications, due retries and expired leases.
 * At most `concurrency` handlers run at once; slots are refilled once half of them are free.
 */
export function createDeliveryDispatcher(deps: {
  db: Database;
  logger: Logger;
  subscriptions: () => readonly Subscription[];
  options: DispatcherOptions;
  observer?: EventBusObserver;
}): DeliveryDispatcher {
  const { db, logger, options, observer } = deps;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  const inFlight = new Set<Promise<void>>();
  let byKey = new Map<string, Subscription>();
  let wanted = '[]';

  function wake(): void {
    if (!running) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = pump().finally(() => {
      pumping = undefined;
    });
  }

  async function pump(): Promise<void> {
    do {
      pumpAgain = false;
      while (running) {
        const free = options.concurrency - inFlight.size;
        if (free <= 0) break;
        let claimed: ClaimedDelivery[];
        try {
          claimed = await claimDeliveries(db, { wanted, limit: free, instanceId: options.instanceId, leaseMs: options.leaseMs });
        } catch (error) {
          // The database may be restarting; the next poll tries again.
          if (running) logger.error({ err: error }, 'claiming event deliveries failed');
          return;
        }
        for (const delivery of claimed) {
          const done: Promise<void> = run(delivery).finally(() => {
            inFlight.delete(done);
            // Refill in batches once half the slots are free: one claim query per handler would
            // double the statements per event under load.
            if (inFlight.size <= Math.floor(options.concurrency / 2)) wake();
          });
          inFlight.add(done);
        }
        if (claimed.length < free) break;
      }
    } while (pumpAgain && running);
  }

  async function run(delivery: ClaimedDelivery): Promise<void> {
    const { event, subscriber, attempts } = delivery;
    const lease = { id: delivery.id, instanceId: options.instanceId, attempts };
    const log = logger.child({ subscriber, eventType: event.type, eventId: event.id, deliveryId: delivery.id, attempt: attempts });
    const subscription = byKey.get(subscriptionKey(subscriber, event.type));
    const started = performance.now();
    const lagMs = Date.now() - Date.parse(event.occurredAt);
    const report = (outcome: 'done' | 'retry' | 'dead') =>
      observer?.attempted({ subscriber, eventType: event.type, outcome, durationMs: performance.now() - started, lagMs, attempt: attempts });
    try {
      if (!subscription) throw new Error(`no handler for ${subscriber} / ${event.type}`);
      let parsed;
      try {
        parsed = subscription.definition.parse(event);
      } catch (error) {
        // A payload that does not match its schema will not match on a retry either.
        await markFailed(db, lease, { error: `invalid event: ${String(error)}`, dead: true, retryInMs: 0 });
        log.error({ err: error }, 'event does not match its definition; dead-lettered');
        report('dead');
        return;
      }
      const context: HandlerContext = {
        subscriber,
        deliveryId: delivery.id,
        attempt: attempts,
        db,
        idempotencyKey: idempotencyKey(subscriber, event.id),
        logger: log,
        once: (work) =>
          db.transaction(async (tx) => {
            if (!(await handleOnce(tx, subscriber, event.id))) return false;
            await work(tx);
            return true;
          }),
      };
      try {
        await subscription.handler(parsed, context);
      } catch (error) {
        const dead = attempts >= subscription.retry.maxAttempts;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        await markFailed(db, lease, { error: message, dead, retryInMs: dead ? 0 : retryDelayMs(subscription.retry, attempts) });
        if (dead) log.error({ err: error }, 'event handler failed for the last time; dead-lettered');
        else log.warn({ err: error }, 'event handler failed; will retry');
        report(dead ? 'dead' : 'retry');
        return;
      }
      if (!(await markDone(db, lease))) log.warn('delivery lease was taken over before the handler finished');
      report('done');
    } catch (error) {
      // Recording the outcome failed (database gone): the lease runs out and another attempt follows.
      log.error({ err: error }, 'could not record the outcome of an event delivery');
    }
  }

  return {
    async start() {
      if (running) return;
      const subscriptions = deps.subscriptions();
      byKey = new Map(subscriptions.map((s) => [subscriptionKey(s.subscriber, s.definition.type), s]));
      wanted = JSON.stringify(subscriptions.map((s) => ({ subscriber: s.subscriber, event_type: s.definition.type })));
      if (subscriptions.length === 0) return;
      running = true;
      unlisten = await db.listen(OUTBOX_CHANNEL, wake);
      timer = setInterval(wake, options.pollIntervalMs);
      wake();
    },
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      await unlisten?.();
      unlisten = undefined;
      await pumping;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
