import { afterAll, beforeAll, beforeEach } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@shop/platform';
import { migrate, type Database } from '../../src/shared/database/index.ts';
import type { DatabaseEngine, TestDatabase } from '../support/databases.ts';
import { createEventBus, defineEvent, eventsMigrations, type EventBus, type EventBusOptions } from '../../src/shared/events/index.ts';

export const OrderCreated = defineEvent('orders.order_created.v1', z.object({ orderId: z.string(), totalMinor: z.int() }));
export const PaymentCompleted = defineEvent('payments.payment_completed.v1', z.object({ orderId: z.string() }));

export const silentLogger = createLogger('test', 'silent');

/** Fast retries and polls so tests do not wait on production back-off. */
export const FAST: EventBusOptions = { pollIntervalMs: 50, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 5 } };

export function newBus(db: Database, options: EventBusOptions = FAST): EventBus {
  return createEventBus({ db, logger: silentLogger, options });
}

/**
 * One migrated database per suite, emptied before each test: starting an engine (PGlite's WASM,
 * a fresh Postgres database) costs far more than the tests themselves on a busy machine.
 */
export function sharedEventsDatabase(engine: DatabaseEngine): TestDatabase {
  const shared = {} as TestDatabase;
  beforeAll(async () => {
    if (engine.skip) return;
    Object.assign(shared, await engine.open());
    await migrate(shared.db, [eventsMigrations]);
    // PGlite's WASM boot has taken over a minute on this shared two-core machine.
  }, 180_000);
  afterAll(async () => {
    await shared.cleanup?.();
  });
  beforeEach(async () => {
    if (engine.skip) return;
    await shared.db.exec(
      'truncate events.outbox, events.deliveries, events.subscriptions, events.inbox restart identity cascade; drop schema if exists shop cascade',
    );
  });
  return shared;
}

/** Polls `check` until it returns a value other than undefined/false; the test timeout bounds it. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 10): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The rows of the tests' `shop.effects` table for one order: who wrote each, and in which transaction. */
export const effects = async (db: Database, orderId: string) =>
  (await db.query<{ who: string; tx: string }>('select who, tx::text as tx from shop.effects where order_id = $1 order by who, tx', [orderId])).rows;

export async function deliveryRows(db: Database) {
  const { rows } = await db.query<{ id: number; event_id: string; subscriber: string; status: string; attempts: number; last_error: string | null }>(
    'select id, event_id, subscriber, status, attempts, last_error from events.deliveries order by id',
  );
  return rows;
}

/** The same database, but transactions forget their commit callbacks: as if the process died right after COMMIT. */
export const diesAfterCommit = (db: Database): Database => ({
  ...db,
  transaction: (work) => db.transaction((tx) => work({ ...tx, onCommit: () => undefined })),
});
