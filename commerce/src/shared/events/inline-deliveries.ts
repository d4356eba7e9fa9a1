import type { Logger } from '@shop/platform';
import type { Database, Sql } from '../database/index.ts';
import { reopenInlined, runMarkedWork, type ClaimedDelivery } from './delivery.repository.ts';
import type { EventBusObserver, HandlerContext, Subscription } from './event-handler.ts';
import { idempotencyKey } from './inbox.ts';

/** A delivery `publish` wrote already done, with its subscriber's inbox mark, for its handler to run in the publishing transaction. */
export interface InlineDelivery extends ClaimedDelivery {
  /** The inbox mark was new: the subscriber had not handled this event id before, so its `once` work runs. */
  first: boolean;
}

type Attempt = Parameters<EventBusObserver['attempted']>[0];

/**
 * Runs the deliveries of subscriptions declared `inline` in the transaction that published their
 * event, right before it commits: no transaction, inbox mark or completion of their own (the
 * publishing statement wrote them done and marked), no adoption, queue or slot. The handler's
 * `once` work gets the publisher's `tx`.
 *
 * They run after a savepoint. When one throws (its event is ahead of the state it needs, a bug,
 * a lock timeout), the transaction goes back to the savepoint, so the publisher's own work still
 * commits, and their deliveries are reopened, leased to this instance as `publish` leases any
 * other: they run after the commit as ordinary deliveries, with their own transactions, retries
 * and dead letters. What their work registered on the transaction (further events' deliveries)
 * is dropped with the rollback.
 */
export function createInlineDeliveries(deps: {
  db: Database;
  logger: Logger;
  observer?: EventBusObserver;
  subscription: (subscriber: string, eventType: string) => Subscription | undefined;
  /** Hands reopened deliveries to the dispatcher once the transaction committed. */
  adopt: (deliveries: readonly ClaimedDelivery[]) => void;
  instanceId: string;
  leaseMs: number;
}) {
  // A handler reading or writing through its own connection would wait on the publishing transaction's locks (on
  // PGlite, on the one connection itself, forever): such a use fails, so the delivery runs after the commit instead.
  const outsideTheTransaction = new Proxy(deps.db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return () => {
        throw new Error(`an inline handler runs in the publishing transaction: it works through once's tx, not context.db.${String(property)}`);
      };
    },
  });

  async function runOne(tx: Sql, delivery: InlineDelivery): Promise<Attempt> {
    const { event, subscriber } = delivery;
    const subscription = deps.subscription(subscriber, event.type);
    if (!subscription) throw new Error(`no handler for ${subscriber} / ${event.type}`);
    const parsed = subscription.definition.parse(event);
    const started = performance.now();
    const lagMs = Date.now() - Date.parse(event.occurredAt);
    let first = delivery.first;
    const context: HandlerContext = {
      subscriber,
      deliveryId: delivery.id,
      attempt: 1,
      db: outsideTheTransaction,
      idempotencyKey: idempotencyKey(subscriber, event.id),
      logger: deps.logger,
      once: async (work) => {
        // As on the ordinary path: a second `once` of the same attempt finds the mark and is skipped.
        if (!first) return false;
        first = false;
        await work(tx);
        return true;
      },
      completeInStatement: async (work) => {
        // Idempotent work with no mark of its own: it runs whether or not the event was handled before.
        await runMarkedWork(tx, work);
        return true;
      },
      onceStartingWith: async (statement, work) => {
        if (!first) return false;
        first = false;
        await work(tx, await runMarkedWork(tx, statement));
        return true;
      },
      onceInStatement: async (work) => {
        if (!first) return false;
        first = false;
        await runMarkedWork(tx, work);
        return true;
      },
    };
    await subscription.handler(parsed, context);
    return { subscriber, eventType: event.type, outcome: 'done', durationMs: performance.now() - started, lagMs, attempt: 1 };
  }

  async function run(tx: Sql, deliveries: readonly InlineDelivery[]): Promise<void> {
    // What the handlers register on the transaction stays only with their work: a rollback to the savepoint drops both.
    const committed: Array<() => void> = [];
    const before: Array<() => Promise<void>> = [];
    const scoped: Sql = { ...tx, onCommit: (callback) => void committed.push(callback), beforeCommit: (callback) => void before.push(callback) };
    const attempts: Attempt[] = [];
    await tx.query('savepoint inline_deliveries');
    try {
      for (const delivery of deliveries) attempts.push(await runOne(scoped, delivery));
    } catch (error) {
      await tx.query('rollback to savepoint inline_deliveries');
      await reopenInlined(tx, { instanceId: deps.instanceId, leaseMs: deps.leaseMs, deliveries });
      deps.logger.warn(
        { err: error, eventId: deliveries[0]?.event.id, subscribers: deliveries.map((d) => d.subscriber) },
        'an inline event delivery failed; its deliveries run as ordinary ones after the commit',
      );
      tx.onCommit!(() => deps.adopt(deliveries));
      return;
    }
    for (const callback of committed) tx.onCommit!(callback);
    for (const callback of before) tx.beforeCommit!(callback);
    if (deps.observer) tx.onCommit!(() => attempts.forEach((a) => deps.observer!.attempted(a)));
  }

  return {
    /** Runs `deliveries` in `tx` right before it commits (`tx` must be a transaction's, with both commit hooks). */
    schedule(tx: Sql, deliveries: readonly InlineDelivery[]): void {
      tx.beforeCommit!(() => run(tx, deliveries));
    },
  };
}
