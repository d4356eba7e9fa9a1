import type { FastifyInstance } from 'fastify';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckDbEngine } from '../batch/index.ts';

/**
 * One connection, one question at a time: each raw-event question fills the connection's
 * temporary tables. The connection is opened on first use and closed with the server.
 */
export function exclusiveConnection(app: FastifyInstance, duckdb: DuckDbEngine): <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T> {
  let connection: Promise<DuckDBConnection> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  app.addHook('onClose', async () => {
    await queue;
    if (connection) (await connection).closeSync();
  });
  return <T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => fn(await (connection ??= duckdb.connect())));
    queue = run.catch(() => undefined);
    return run;
  };
}
