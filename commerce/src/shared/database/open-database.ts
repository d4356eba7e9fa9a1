import type { Database, QueryObserver } from './database.ts';
import { createPgDatabase } from './pg-database.ts';
import { createPgliteDatabase } from './pglite-database.ts';

/** `DATABASE_URL` set: real PostgreSQL; unset: PGlite with its files under `dataDir`. */
export function openDatabase(
  options: { url?: string | undefined; dataDir: string; poolSize?: number },
  observe?: QueryObserver,
): Promise<Database> {
  return options.url
    ? createPgDatabase(options.url, options.poolSize, observe)
    : createPgliteDatabase(options.dataDir, observe);
}
