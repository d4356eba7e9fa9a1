import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { runBeforeCommit, runCommitted } from './commit-callbacks.ts';
import type { Database, QueryObserver, QueryResult, Sql } from './database.ts';
import { preparedStatements } from './pglite-statements.ts';


// int8 (counts, sums, sequences) as numbers, as the node-postgres adapter does: our amounts fit in 2^53.
const parsers = { [types.INT8]: (value: string) => Number(value) };
// Extensions the migrations create: pg_trgm for the catalog's typo-tolerant search.

export interface PgliteOptions {
  /**
   * A data directory image (`dumpDataDir`) to start from instead of running initdb: a copy of a freshly
   * initialised cluster is the same database, and initdb is most of PGlite's start-up time.
   */
  loadDataDir?: Blob;
}

/**
 * Embedded PostgreSQL (WASM) in this process. `dataDir` undefined means in-memory (tests).
 * PGlite has one connection: its own mutex queues statements and serialises transactions,
 * which is why contention tests still mean something here, only slower.
 */
export async function createPgliteDatabase(dataDir?: string, observe?: QueryObserver, options: PgliteOptions = {}): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://', { parsers, extensions: { pg_trgm }, loadDataDir: options.loadDataDir });

  const statements = preparedStatements(db);
  // The locks PGlite's `query` takes: inside a transaction its lock is already held; outside, the
  // statement takes it, so it never runs inside another caller's open transaction.
  const prepared = <R>(inTransaction: Transaction | undefined, text: string, params?: readonly unknown[]) =>
    inTransaction
      ? db._runExclusiveQuery(() => statements.run<R>(text, params))
      : db._runExclusiveTransaction(() =>
          db._runExclusiveQuery(async () => {
            const result = await statements.run<R>(text, params);
            await db.syncToFs();
            return result;
          }),
        );

  const run = async <R>(inTransaction: Transaction | undefined, text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    observe?.(text);
    const result = (await prepared<R>(inTransaction, text, params)) ?? (await (inTransaction ?? db).query<R>(text, params as unknown[] | undefined));
    // PGlite reports 0 affected rows for a SELECT; node-postgres reports the rows returned. Match pg.
    const rowCount = result.fields.length > 0 && !result.affectedRows ? result.rows.length : (result.affectedRows ?? result.rows.length);
    return { rows: result.rows, rowCount };
  };

  return {
    engine: 'pglite',
    query: (text, params) => run(undefined, text, params),
    exec: async (script) => {
      await db.exec(script);
    },
    async transaction(work) {
      const committed: Array<() => void> = [];
      const beforeCommit: Array<() => Promise<void>> = [];
      const result = await db.transaction(async (tx) => {
        const sql: Sql = {
          query: (text, params) => run(tx, text, params),
          exec: async (script) => {
            await tx.exec(script);
          },
          onCommit: (callback) => void committed.push(callback),
          beforeCommit: (callback) => void beforeCommit.push(callback),
        };
        const value = await work(sql);
        await runBeforeCommit(beforeCommit);
        return value;
      });
      runCommitted(committed);
      return result;
    },
    async listen(channel, onNotify) {
      const unsubscribe = await db.listen(channel, onNotify);
      return () => unsubscribe();
    },
    // Idempotent, like pg's Pool.end guarded by callers: shutdown paths may close twice.
    close: async () => {
      if (!db.closed) await db.close();
    },
  };
}
