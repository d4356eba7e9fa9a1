import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { runCommitted } from './commit-callbacks.ts';
import type { Database, QueryObserver, QueryResult, Sql } from './database.ts';


// int8 (counts, sums, sequences) as numbers, as the node-postgres adapter does: our amounts fit in 2^53.
const parsers = { [types.INT8]: (value: string) => Number(value) };
// Extensions the migrations create: pg_trgm for the catalog's typo-tolerant search.

/**
 * Embedded PostgreSQL (WASM) in this process. `dataDir` undefined means in-memory (tests).
 * PGlite has one connection: its own mutex queues statements and serialises transactions,
 * which is why contention tests still mean something here, only slower.
 */
export async function createPgliteDatabase(dataDir?: string, observe?: QueryObserver): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://', { parsers, extensions: { pg_trgm } });

  const run = async <R>(target: PGlite | Transaction, text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    observe?.(text);
    const result = await target.query<R>(text, params as unknown[] | undefined);
    // PGlite reports 0 affected rows for a SELECT; node-postgres reports the rows returned. Match pg.
    const rowCount = result.fields.length > 0 && !result.affectedRows ? result.rows.length : (result.affectedRows ?? result.rows.length);
    return { rows: result.rows, rowCount };
  };

  return {
    engine: 'pglite',
    query: (text, params) => run(db, text, params),
    exec: async (script) => {
      await db.exec(script);
    },
    async transaction(work) {
      const committed: Array<() => void> = [];
      const result = await db.transaction(async (tx) => {
        const sql: Sql = {
          query: (text, params) => run(tx, text, params),
          exec: async (script) => {
            await tx.exec(script);
          },
          onCommit: (callback) => void committed.push(callback),
        };
        return work(sql);
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
