import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createLogger, createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import type { Authenticator } from '../../src/shared/http/auth.ts';
import type { CommerceModule } from '../../src/shared/module.ts';
import { migrate, type Database, type ModuleMigrations } from '../../src/shared/database/index.ts';
import { createEventBus, eventsMigrations, type EventBus } from '../../src/shared/events/index.ts';
import type { DatabaseEngine, TestDatabase } from './databases.ts';

export const silentLogger = createLogger('test', 'silent');

/**
 * One migrated database per suite and engine, emptied before each test: booting an engine costs
 * far more than the tests. `tables` are the module's own, truncated with the bus's.
 */
export function sharedModuleDatabase(engine: DatabaseEngine, migrations: ModuleMigrations, tables: string[]): TestDatabase {
  const shared = {} as TestDatabase;
  beforeAll(async () => {
    if (engine.skip) return;
    Object.assign(shared, await engine.open());
    await migrate(shared.db, [eventsMigrations, migrations]);
  }, 180_000);
  afterAll(async () => {
    await shared.cleanup?.();
  });
  beforeEach(async () => {
    if (engine.skip) return;
    await shared.db.exec(`truncate events.outbox, events.deliveries, events.subscriptions, events.inbox, ${tables.join(', ')} restart identity cascade`);
  });
  return shared;
}

/** A bus with quick polls and retries, so a test never waits on production back-off. */
export function newBus(db: Database): EventBus {
  return createEventBus({ db, logger: silentLogger, options: { pollIntervalMs: 20, retry: { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 20 } } });
}

/** The house server with one module's routes under `/api`, as the app mounts them. */
export async function moduleServer(module: CommerceModule<unknown>): Promise<HttpServer> {
  const server = await createServer({
    logger: silentLogger,
    title: `${module.name} test`,
    description: `${module.name} routes only`,
    metrics: createMetricsRegistry(`${module.name}_test`),
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' }, bearer: { type: 'http', scheme: 'bearer' } },
  });
  await server.register(async (api) => module.routes?.(api), { prefix: '/api' });
  await server.ready();
  return server;
}

/** Polls `check` until it returns something other than undefined/false; the test timeout bounds it. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 10): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface DeliveryRow {
  event_id: string;
  event_type: string;
  subscriber: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

export async function deliveries(db: Database): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>('select event_id, event_type, subscriber, status, attempts, last_error from events.deliveries order by id');
  return rows;
}

/** Waits until every delivery so far is done (none pending, processing or dead). */
export async function settled(db: Database): Promise<DeliveryRow[]> {
  return waitFor(async () => {
    const rows = await deliveries(db);
    if (rows.some((r) => r.status === 'dead')) throw new Error(`dead delivery: ${JSON.stringify(rows.filter((r) => r.status === 'dead'))}`);
    return rows.length > 0 && rows.every((r) => r.status === 'done') ? rows : undefined;
  });
}

/**
 * What at-least-once delivery does after a lost acknowledgement (a crash after the handler ran,
 * an expired lease): the same event to the same subscriber again. Waits for the second run.
 */
export async function redeliver(db: Database, eventId: string, subscriber: string): Promise<void> {
  await db.query(`update events.deliveries set status = 'pending', next_attempt_at = now() where event_id = $1 and subscriber = $2`, [eventId, subscriber]);
  await waitFor(async () => {
    const { rows } = await db.query<{ status: string; attempts: number }>(
      'select status, attempts from events.deliveries where event_id = $1 and subscriber = $2',
      [eventId, subscriber],
    );
    return rows[0]?.status === 'done' && rows[0].attempts >= 2;
  });
}

export async function outboxOfType(db: Database, type: string): Promise<Array<{ id: string; payload: Record<string, unknown> }>> {
  const { rows } = await db.query<{ id: string; payload: Record<string, unknown> }>('select id, payload from events.outbox where type = $1 order by position', [type]);
  return rows;
}

export type { Authenticator };
