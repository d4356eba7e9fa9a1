import type { FastifyInstance } from 'fastify';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HttpError } from '@shop/platform';
import { RawStoreUnavailableError, type DuckDbEngine } from '../batch/index.ts';

/**
 * One connection, one question at a time: each raw-event question fills the connection's
 * temporary tables. The connection is opened on first use and closed with the server. A raw
 * store that cannot be read answers 503.
 */
export function exclusiveConnection(app: FastifyInstance, duckdb: DuckDbEngine): <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T> {
  let connection: Promise<DuckDBConnection> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  app.addHook('onClose', async () => {
    await queue;
    if (connection) (await connection).closeSync();
  });
  return <T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      try {
        return await fn(await (connection ??= duckdb.connect()));
      } catch (error) {
        // The lake (an object store) failing is the service's state, not a bug: 503, and the client may retry.
        if (error instanceof RawStoreUnavailableError) throw new HttpError(503, 'RAW_STORE_UNAVAILABLE', error.message);
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
