import fastifyCookie from '@fastify/cookie';
import { createMetricsRegistry, createServer, type HttpServer, type Logger } from '@shop/platform';
import { pino } from 'pino';
import { createUsersModule, type UsersConfig, type UsersModuleDeps } from '../../../src/modules/users/index.ts';
import { migrate, type Database } from '../../../src/shared/database/index.ts';
import { eventsMigrations } from '../../../src/shared/events/index.ts';
import { createMemoryStore, type KeyValueStore } from '../../../src/shared/kv/index.ts';
import { newBus } from '../../support/module-harness.ts';
import type { TestDatabase } from '../../support/databases.ts';

/** Cheap scrypt so suites stay fast; production keeps the module's default. */
export const TEST_HASHING = { logN: 10, r: 8, p: 1 };

export const TEST_CONFIG: UsersConfig = {
  sessionTtlHours: 2,
  cookieSecure: false,
  loginMaxAttempts: 50,
  loginWindowSeconds: 60,
  loginIpMaxAttempts: 500,
  passwordHashing: TEST_HASHING,
};

export interface UsersTestApp {
  server: HttpServer;
  module: ReturnType<typeof createUsersModule>;
  logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A log sink that keeps parsed lines, so tests can assert what was logged. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** The users module alone on a server built as app.ts builds it: cookies registered, routes under /api. */
export async function startUsersApp(options: {
  db: Database;
  kv?: KeyValueStore;
  config?: Partial<UsersConfig>;
  now?: () => Date;
  onSignedIn?: UsersModuleDeps['onSignedIn'];
}): Promise<UsersTestApp> {
  const kv = options.kv ?? createMemoryStore();
  const { logger, lines } = captureLogger();
  const module = createUsersModule({
    db: options.db,
    kv,
    // Not started: tests read what the module published from events.outbox.
    events: newBus(options.db),
    logger,
    config: { ...TEST_CONFIG, ...options.config },
    now: options.now,
    onSignedIn: options.onSignedIn,
  });
  if (module.migrations) await migrate(options.db, [eventsMigrations, module.migrations]);
  const server = await createServer({
    logger: pino({ level: 'silent' }),
    title: 'users test',
    description: 'users module under test',
    metrics: createMetricsRegistry('users_test'),
    // The same schemes as app.ts: the routes' OpenAPI `security` refers to them by name.
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
  });
  await server.register(fastifyCookie);
  await server.register(async (api) => module.routes?.(api), { prefix: '/api' });
  await server.ready();
  await module.start?.();
  return {
    server,
    module,
    logLines: lines,
    async close() {
      await server.close();
      if (!options.kv) await kv.close();
    },
  };
}

/** A fresh mailbox per test, so tests sharing one database never collide. */
export const uniqueEmail = (name = 'user') => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;

/** Closes what `databaseEngines()` opened; its PGlite cleanup leaves the instance open. */
export async function closeDatabase(database: TestDatabase): Promise<void> {
  await database.cleanup();
  if (database.db.engine === 'pglite') await database.db.close();
}

/** PGlite boots a WASM Postgres; on a loaded two-core machine that alone can take most of a minute. */
export const BOOT_TIMEOUT_MS = 180_000;
