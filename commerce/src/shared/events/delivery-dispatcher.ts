import type { Logger } from '@shop/platform';
import type { Database, Sql } from '../database/index.ts';
import { createCompletionBatcher } from './completion-batcher.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { claimDeliveries, markDoneWithIdempotentWork, markDoneWithWork, markFailed, releaseLeases, runMarkedWork, type ClaimedDelivery } from './delivery.repository.ts';
import { OUTBOX_CHANNEL } from './events.migrations.ts';
import type { EventBusObserver, HandlerContext, OnceStatement, Subscription } from './event-handler.ts';
import { handleOnce, idempotencyKey } from './inbox.ts';
import { retryDelayMs } from './retry-policy.ts';
import { createSharedOnce, type OnceMember, type SharedOnce } from './shared-once.ts';

export interface DispatcherOptions {
  instanceId: string;
  pollIntervalMs: number;
  leaseMs: number;
  concurrency: number;
  /** Slots kept for `priority: 'order-path'` deliveries (see `createDeliveryQueue`); 0 for one queue in arrival order. */
  orderPathSlots: number;
}

export interface DeliveryDispatcher {
  start(): Promise<void>;
  /** Stops claiming, gives back adopted deliveries not started yet, then waits for every running handler's outcome. */
  stop(): Promise<void>;
  /** True while running: `publish` may then lease this instance's deliveries to it. */
  readonly running: boolean;
  /** Runs deliveries leased to this instance at publish time, right after their transaction committed. */
  adopt(deliveries: readonly ClaimedDelivery[]): void;
}

const subscriptionKey = (subscriber: string, eventType: string) => `${subscriber}\u0000${eventType}`;

/** An adopted delivery is dropped (left to the poll) this close to the end of its lease: another instance may take it. */
const LEASE_MARGIN_MS = 1_000;

/**
 * Runs deliveries for this instance's subscriptions. Most arrive by `adopt`: leased to this
 * instance in the publishing transaction and run after its commit, with no claim. The claim
 * loop is the safety net: NOTIFY (deliveries left pending for subscribers other instances have,
 * admin replays) and the poll (due retries, leases of a crashed instance) wake it.
 * At most `concurrency` handlers run at once, except that the deliveries of one event start together
 * (a few more may then run); adopted deliveries beyond that wait in memory, order-path ones first.
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
  /** The last claim filled every free slot: more may be due, so claim again as slots free up. */
  let backlog = false;
  const inFlight = new Set<Promise<void>>();
  /** Adopted deliveries waiting for a slot, one unit per event and priority: they start together and share their `once` transaction. */
  const adopted = createDeliveryQueue(options);
  const completions = createCompletionBatcher(db, options.instanceId);
  let byKey = new Map<string, Subscription>();
  let wanted = '[]';

  function launch(delivery: ClaimedDelivery, together: SharedOnce, member: OnceMember): void {
    const done: Promise<void> = run(delivery, together, member).finally(() => {
      inFlight.delete(done);
      startAdopted();
      // Refill from the database in batches once half the slots are free: one claim query per
      // handler would double the statements per event under load.
      if (backlog && inFlight.size <= Math.floor(adopted.sharedSlots / 2)) wake();
    });
    inFlight.add(done);
  }

  /** Starts deliveries; those of one event share their `once` transaction (see `createSharedOnce`). */
  function launchAll(deliveries: readonly ClaimedDelivery[]): void {
    const byEvent = new Map<string, Array<{ delivery: ClaimedDelivery; member: OnceMember }>>();
    for (const delivery of deliveries) {
      const members = byEvent.get(delivery.event.id) ?? [];
      members.push({ delivery, member: { subscriber: delivery.subscriber, id: delivery.id, attempts: delivery.attempts } });
      byEvent.set(delivery.event.id, members);
    }
    for (const [eventId, members] of byEvent) {
      const together = createSharedOnce(db, eventId, options.instanceId, members.map((m) => m.member));
      for (const { delivery, member } of members) launch(delivery, together, member);
    }
  }

  function startAdopted(): void {
    while (running) {
      const next = adopted.next(inFlight.size);
      if (!next) return;
      if (Date.now() < next.leasedUntil - LEASE_MARGIN_MS) launchAll(next.deliveries);
    }
  }

  function isOrderPath(delivery: ClaimedDelivery): boolean {
    return byKey.get(subscriptionKey(delivery.subscriber, delivery.event.type))?.priority === 'order-path';
  }

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
        const free = adopted.sharedSlots - inFlight.size;
        if (free <= 0) break;
        let claimed: ClaimedDelivery[];
        try {
          claimed = await claimDeliveries(db, { wanted, limit: free, instanceId: options.instanceId, leaseMs: options.leaseMs });
        } catch (error) {
          // The database may be restarting; the next poll tries again.
          if (running) logger.error({ err: error }, 'claiming event deliveries failed');
          return;
        }
        backlog = claimed.length === free;
        launchAll(claimed);
        if (!backlog) break;
      }
    } while (pumpAgain && running);
  }

  async function run(delivery: ClaimedDelivery, together: SharedOnce, member: OnceMember): Promise<void> {
    const { event, subscriber, attempts } = delivery;
    const lease = { id: delivery.id, instanceId: options.instanceId, attempts };
    const log = logger.child({ subscriber, eventType: event.type, eventId: event.id, deliveryId: delivery.id, attempt: attempts });
    const subscription = byKey.get(subscriptionKey(subscriber, event.type));
    const started = performance.now();
    const lagMs = Date.now() - Date.parse(event.occurredAt);
    const report = (outcome: 'done' | 'retry' | 'dead') =>
      observer?.attempted({ subscriber, eventType: event.type, outcome, durationMs: performance.now() - started, lagMs, attempt: attempts });
    // Set when `once` recorded the outcome in its transaction (shared with the event's other deliveries).
    let doneInTransaction: boolean | undefined;
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
      const once = async (work: (tx: Sql, result: unknown) => Promise<void>, first?: OnceStatement): Promise<boolean> => {
        if (doneInTransaction !== undefined) {
          // A second `once` in the same attempt: the delivery is already done, only the inbox guards it.
          return db.transaction(async (tx) => {
            if (!(await handleOnce(tx, subscriber, event.id))) return false;
            await work(tx, first ? await runMarkedWork(tx, first) : undefined);
            return true;
          });
        }
        const outcome = await together.join(member, work, first);
        doneInTransaction = outcome.done;
        return outcome.first;
      };
      const context: HandlerContext = {
        subscriber,
        deliveryId: delivery.id,
        attempt: attempts,
        db,
        idempotencyKey: idempotencyKey(subscriber, event.id),
        logger: log,
        once: (work) => once(work),
        onceStartingWith: (first, work) => once(work, first),
        completeInStatement: async (work) => {
          together.leave(member);
          const done = await markDoneWithIdempotentWork(db, lease, work);
          doneInTransaction ??= done;
          return done;
        },
        onceInStatement: async (work) => {
          // Its own statement: the event's other deliveries' shared transaction does not wait for it.
          together.leave(member);
          const outcome = await markDoneWithWork(db, { eventId: event.id, instanceId: options.instanceId, delivery: member }, work);
          // After an earlier `once` the delivery is done already, and the completion above found nothing to do.
          doneInTransaction ??= outcome.done;
          return outcome.first;
        },
      };
      try {
        try {
          await subscription.handler(parsed, context);
        } finally {
          // Its siblings' shared transaction no longer waits for it, whatever the outcome is.
          together.leave(member);
        }
      } catch (error) {
        const dead = attempts >= subscription.retry.maxAttempts;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        await markFailed(db, lease, {
          error: message,
          dead,
          retryInMs: dead ? 0 : retryDelayMs(subscription.retry, attempts),
          doneInTransaction: doneInTransaction === true,
        });
        if (dead) log.error({ err: error }, 'event handler failed for the last time; dead-lettered');
        else log.warn({ err: error }, 'event handler failed; will retry');
        report(dead ? 'dead' : 'retry');
        return;
      }
      const completed = doneInTransaction ?? (await completions.done(lease));
      if (!completed) log.warn('delivery lease was taken over before the handler finished');
      report('done');
    } catch (error) {
      // Recording the outcome failed (database gone): the lease runs out and another attempt follows.
      log.error({ err: error }, 'could not record the outcome of an event delivery');
    } finally {
      together.leave(member);
    }
  }

  return {
    get running() {
      return running;
    },
    adopt(deliveries) {
      if (!running) return; // the lease runs out and the poll of some instance takes them
      const leasedUntil = Date.now() + options.leaseMs;
      const units = new Map<string, ClaimedDelivery[]>();
      for (const delivery of deliveries) {
        const key = `${delivery.event.id}\u0000${isOrderPath(delivery)}`;
        units.set(key, [...(units.get(key) ?? []), delivery]);
      }
      for (const same of units.values()) adopted.push({ deliveries: same, leasedUntil, orderPath: isOrderPath(same[0]!) });
      startAdopted();
    },
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
      const unstarted = adopted.drain().flatMap((a) => a.deliveries.map((d) => d.id));
      await releaseLeases(db, options.instanceId, unstarted).catch((error: unknown) => {
        // Their leases run out instead, and another instance takes them over then.
        logger.warn({ err: error }, 'could not give back adopted event deliveries');
      });
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
