import pg from 'pg';
import { runCommitted } from './commit-callbacks.ts';
import type { Database, QueryObserver, Sql } from './database.ts';

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Distinct statement texts given a name; past this, new texts run unnamed (dynamic SQL must not grow it forever). */
const MAX_PREPARED = 1_000;

/**
 * A name per parameterised statement text, so node-postgres prepares it once per connection and
 * then only binds and executes it: PostgreSQL skips parsing and, after a few runs, planning.
 * The same text always gets the same name (node-postgres refuses one name for two texts).
 */
function preparedStatementNames(): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `s${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
}

/** A real PostgreSQL through a node-postgres pool. */
export async function createPgDatabase(url: string, poolSize = 10, observe?: QueryObserver): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  await pool.query('select 1');

  const listener = { client: undefined as pg.PoolClient | undefined, handlers: new Map<string, Set<(p: string) => void>>() };

  const named = preparedStatementNames();
  const wrap = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query(text, params) {
      observe?.(text);
      const name = params && params.length > 0 ? named(text) : undefined;
      const result = await client.query(name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] | undefined });
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
