import type { Logger } from '@shop/platform';
import type { Database, Sql } from '../database/index.ts';
import type { DomainEvent, EventDefinition } from './domain-event.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** What a handler gets besides the event. */
export interface HandlerContext {
  subscriber: string;
  deliveryId: number;
  /** 1 on the first try; retries, stale-lease takeovers and replays count up from there. */
  attempt: number;
  /** For reads and for transactions of the handler's own; prefer `once` for writes. */
  db: Database;
  /**
   * Runs `work` in one transaction together with this subscriber's inbox mark for the event:
   * a redelivered event skips `work` and resolves false. Publish follow-up events through the
   * same `tx` so they commit with the effect.
   */
  once(work: (tx: Sql) => Promise<void>): Promise<boolean>;
  /**
   * `once` for work that is one statement: its CTEs run in the statement that writes the inbox mark
   * (and completes the delivery), with no transaction around them, since one statement commits or
   * fails as a whole. Resolves true when this subscriber handled the event for the first time.
   * Each CTE must act only when `first_handling` has a row (see `OnceStatement`).
   */
  onceInStatement(work: OnceStatement): Promise<boolean>;
  /**
   * For work that is idempotent on its own (an insert that keeps the first row of its key): its CTEs run
   * in the statement that completes the delivery, fenced by its lease, with no inbox mark, so they run
   * again on a redelivered event. They must not read `first_handling`. Resolves true when the delivery
   * was still this attempt's (false after a takeover: the work committed all the same).
   */
  completeInStatement(work: OnceStatement): Promise<boolean>;
  /**
   * `once` whose transaction starts with `first`: its CTEs run in the statement that writes the inbox
   * mark and the completion, and `work` gets that statement's `first.result` (e.g. whether a row was
   * inserted) to write what depends on it through `tx`. Neither runs on a redelivered event.
   */
  onceStartingWith(first: OnceStatement, work: (tx: Sql, result: unknown) => Promise<void>): Promise<boolean>;
  /** `subscriber:eventId`: pass it to external providers (payments, email) to deduplicate there. */
  idempotencyKey: string;
  logger: Logger;
}

/**
 * Work for `onceInStatement`: comma-separated CTEs (`drawn as (...), stored as (...)`) with their
 * parameters numbered from `$1` (the bus renumbers them; the text holds no other `$`). They may read
 * `first_handling`, which has one row when the subscriber handles the event for the first time and
 * none on a redelivery, e.g. `insert into … select … where exists (select 1 from first_handling)`.
 * What they write commits with the mark; an error fails the statement and leaves neither.
 */
export interface OnceStatement {
  ctes: string;
  values: readonly unknown[];
  /** For `onceStartingWith`: an expression over the CTEs (e.g. `exists (select 1 from stored)`) whose value `work` gets. */
  result?: string;
}

export type EventHandler<E extends DomainEvent = DomainEvent> = (event: E, context: HandlerContext) => Promise<void>;

export interface SubscribeOptions {
  /** Overrides the bus's retry policy for this subscriber, e.g. fewer attempts for notifications. */
  retry?: Partial<RetryPolicy>;
  /**
   * `order-path`: the delivery stands between a shopper's checkout and a paid order. Such deliveries start before
   * queued ones of other subscriptions and have slots of their own (`orderPathSlots`), so they never queue behind
   * e-mails, invoices or labels.
   */
  priority?: DeliveryPriority;
  /**
   * The handler only calls `once`, at once, and its work may run in the transaction that published the event. When
   * this instance publishes the event in a transaction, the handler runs there right before the COMMIT (no
   * transaction, inbox statement, completion or handler slot of its own); if it throws, the publisher's work still
   * commits and the delivery runs after it as an ordinary one. The work holds the publisher's locks meanwhile;
   * `context.db` throws there (on the embedded engine it would wait for the publishing transaction), so a handler
   * that uses it runs after the commit instead.
   */
  inline?: boolean;
}

export type DeliveryPriority = 'order-path' | 'background';

/** One registered (subscriber, event type) pair; internal to the bus. */
export interface Subscription {
  subscriber: string;
  definition: EventDefinition<string, unknown, never>;
  handler: EventHandler;
  retry: RetryPolicy;
  priority: DeliveryPriority;
  inline: boolean;
}

/** Optional hooks for metrics; called after each attempt. */
export interface EventBusObserver {
  attempted(info: {
    subscriber: string;
    eventType: string;
    outcome: 'done' | 'retry' | 'dead';
    /** Handler run time. */
    durationMs: number;
    /** From the event's occurredAt to the start of this attempt: publish-to-handle latency on the first attempt. */
    lagMs: number;
    attempt: number;
  }): void;
}
