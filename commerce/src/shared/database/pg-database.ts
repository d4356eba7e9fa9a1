import pg from 'pg';
import { runBeforeCommit, runCommitted } from './commit-callbacks.ts';
import { EngineUnavailableError } from '@shop/platform';
import type { Database, QueryObserver, Sql } from './database.ts';
import { createFailoverPool, isConnectionLoss, type FailoverPool } from './failover-pool.ts';
import { parsePostgresHosts } from './postgres-hosts.ts';

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

export interface PgDatabaseOptions {
  /** Connections per host. */
  poolSize?: number;
  observe?: QueryObserver;
  /** How long a statement waits for a suitable server (a failover in progress) before failing with `EngineUnavailableError`. */
  failoverWaitMs?: number;
  /** Told when a host is chosen, at start and after each failover. */
  onHostChosen?: (host: string) => void;
}

/**
 * A real PostgreSQL through node-postgres. `url` may list several hosts with
 * `target_session_attrs` as libpq takes them (`postgres://u@db1:5432,db2:5432/shop?target_session_attrs=read-write`):
 * the first fitting host is used, and another is chosen when it goes away (see `failover-pool.ts`).
 * A statement cut off by a lost connection fails with `EngineUnavailableError` (HTTP 503); it is
 * not retried here, since it may have committed.
 */
export async function createPgDatabase(url: string, poolSizeOrOptions: number | PgDatabaseOptions = 10, observe?: QueryObserver): Promise<Database> {
  const options = typeof poolSizeOrOptions === 'number' ? { poolSize: poolSizeOrOptions, observe } : poolSizeOrOptions;
  const watch = options.observe;
  const pool = createFailoverPool({
    hosts: parsePostgresHosts(url),
    poolSize: options.poolSize ?? 10,
    waitMs: options.failoverWaitMs ?? 5_000,
    onChosen: options.onHostChosen,
  });
  const unavailable = (error: unknown): unknown =>
    isConnectionLoss(error) && !(error instanceof EngineUnavailableError)
      ? new EngineUnavailableError('database', `The database connection was lost: ${(error as Error).message}`, { cause: error })
      : error;
  try {
    const first = await pool.connect();
    pool.release(first);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const named = preparedStatementNames();
  const run = async (client: pg.PoolClient, text: string, params?: readonly unknown[]) => {
    const name = params && params.length > 0 ? named(text) : undefined;
    return client.query(name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] | undefined });
  };
  /** One statement on a connection of its own, given back at once (what `pg.Pool.query` does). */
  const once = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      const result = await work(client);
      pool.release(client);
      return result;
    } catch (error) {
      pool.release(client, error);
      throw unavailable(error);
    }
  };
  const on = (client: pg.PoolClient): Sql => ({
    async query(text, params) {
      watch?.(text);
      try {
        const result = await run(client, text, params);
        return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
      } catch (error) {
        throw unavailable(error);
      }
    },
    async exec(script) {
      watch?.(script);
      // Without parameters node-postgres uses the simple protocol, which accepts several statements.
      await client.query(script).catch((error: unknown) => Promise.reject(unavailable(error)));
    },
  });

  /** A connection inside `begin`. A `begin` that fails on a dead connection changed nothing, so it is tried once more on a fresh one. */
  const begun = async (): Promise<pg.PoolClient> => {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        return client;
      } catch (error) {
        pool.release(client, error);
        if (attempt >= 2 || !isConnectionLoss(error)) throw unavailable(error);
      }
    }
  };
  const listener = createListener(pool);

  return {
    engine: 'postgres',
    async query(text, params) {
      watch?.(text);
      const result = await once((client) => run(client, text, params));
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script) {
      watch?.(script);
      await once((client) => client.query(script));
    },
    async transaction(work) {
      const client = await begun();
      const committed: Array<() => void> = [];
      const beforeCommit: Array<() => Promise<void>> = [];
      try {
        const result = await work({
          ...on(client),
          onCommit: (callback) => void committed.push(callback),
          beforeCommit: (callback) => void beforeCommit.push(callback),
        });
        await runBeforeCommit(beforeCommit);
        await client.query('commit');
        pool.release(client);
        runCommitted(committed);
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        pool.release(client, error);
        throw unavailable(error);
      }
    },
    listen: listener.listen,
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * LISTEN on one dedicated connection. When it is lost (the server stopped, a failover) it is
 * opened again on whichever host the pool chooses, every channel is listened to again, and each
 * handler is called once with an empty payload: notices sent meanwhile are gone, so listeners
 * treat that call as "something may have changed" (the event bus polls, the catalog clears its cache).
 */
function createListener(pool: FailoverPool) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: pg.PoolClient | undefined;
  let opening: Promise<pg.PoolClient> | undefined;
  let closed = false;
  const quoted = (channel: string) => `listen "${channel.replaceAll('"', '')}"`;

  const open = async (): Promise<pg.PoolClient> => {
    const next = await pool.connect();
    if (closed) {
      // Closed while connecting: a connection kept now would hold up the pool's end.
      pool.release(next);
      throw new Error('closed');
    }
    next.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    const lost = (error?: unknown) => {
      if (client !== next) return;
      client = undefined;
      pool.release(next, error ?? new Error('Connection terminated'));
      if (!closed) void reopen();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      for (const channel of handlers.keys()) await next.query(quoted(channel));
    } catch (error) {
      pool.release(next, error);
      throw error;
    }
    client = next;
    return next;
  };
  const connected = (): Promise<pg.PoolClient> => {
    if (client) return Promise.resolve(client);
    opening ??= open().finally(() => (opening = undefined));
    return opening;
  };
  const reopen = async () => {
    for (let delay = 100; !closed; delay = Math.min(delay * 2, 2_000)) {
      try {
        await connected();
        for (const set of handlers.values()) for (const handler of set) handler('');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  return {
    async listen(channel: string, onNotify: (payload: string) => void) {
      let set = handlers.get(channel);
      const fresh = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onNotify);
      const listening = await connected();
      if (fresh) await listening.query(quoted(channel));
      return async () => {
        set.delete(onNotify);
      };
    },
    async close() {
      closed = true;
      const last = client;
      client = undefined;
      if (last) pool.release(last);
    },
  };
}
