import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { registerHashFunctions } from './hash-udf.ts';
import { MACROS_SQL } from './metric-sql.ts';

export interface DuckDbEngine {
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

/**
 * An in-memory DuckDB with the batch's macros and hash function on every connection and UTC as the session zone
 * (raw timestamps carry `Z`; the zone only matters for strings without one).
 */
export async function openDuckDb(options: { threads?: number; tempDir?: string; memoryLimit?: string; macros?: boolean } = {}): Promise<DuckDbEngine> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.tempDir) config.temp_directory = options.tempDir;
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', config);
  return {
    async connect() {
      const connection = await instance.connect();
      if (options.macros !== false) registerHashFunctions(connection);
      await connection.run(`SET TimeZone = 'UTC';${options.macros === false ? '' : MACROS_SQL}`);
      return connection;
    },
    close() {
      instance.closeSync();
    },
  };
}
