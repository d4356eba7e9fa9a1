import type { Database, QueryObserver } from './database.ts';
import { createPgDatabase } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

/** `DATABASE_URL` set: real PostgreSQL (one host or several, see `createPgDatabase`); unset: PGlite with its files under `dataDir`. */
export function openDatabase(
  options: { url?: string | undefined; dataDir: string; poolSize?: number; failoverWaitMs?: number; onHostChosen?: (host: string) => void },
  observe?: QueryObserver,
): Promise<Database> {
  return options.url
    ? createPgDatabase(options.url, { poolSize: options.poolSize, observe, failoverWaitMs: options.failoverWaitMs, onHostChosen: options.onHostChosen })
    : createPgliteDatabase(options.dataDir, observe);
}
