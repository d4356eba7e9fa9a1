import pg from 'pg';
import { runCommitted } from './commit-callbacks.ts';
import type { Database, QueryObserver, Sql } from './database.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A real PostgreSQL through a node-postgres pool. */
export async function createPgDatabase(url: string, poolSize = 10, observe?: QueryObserver): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  await pool.query('select 1');

  const listener = { client: undefined as pg.PoolClient | undefined, handlers: new Map<string, Set<(p: string) => void>>() };

  const wrap = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query(text, params) {
      observe?.(text);
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script) {
      observe?.(script);
      // Without parameters node-postgres uses the simple protocol, which accepts several statements.
      await client.query(script);
    },
  });

  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      const committed: Array<() => void> = [];
      try {
        await client.query('begin');
        const result = await work({ ...wrap(client), onCommit: (callback) => void committed.push(callback) });
        await client.query('commit');
        runCommitted(committed);
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      if (!listener.client) {
        listener.client = await pool.connect();
        listener.client.on('notification', (message) => {
          for (const handler of listener.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
        });
      }
      let set = listener.handlers.get(channel);
      if (!set) {
        set = new Set();
        listener.handlers.set(channel, set);
        await listener.client.query(`listen "${channel.replaceAll('"', '')}"`);
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
      };
    },
    async close() {
      listener.client?.release();
      await pool.end();
    },
  };
}
