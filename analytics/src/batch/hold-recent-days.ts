import type { DuckDBConnection } from '@duckdb/node-api';
import type { LakeStore } from './lake-store.ts';
import { heldRowCount } from './raw-day-cache.ts';
import { rawEventsOver } from './raw-events.ts';

/**
 * Holds with `connection` what a raw-event question over `range` of one tenant would load first
 * (raw-day-cache.ts): the rows of each closed day's columnar copy, with the scalar columns of
 * `scalars`, and the NDJSON objects of the days no copy stands for. A later question over those
 * days then scans held rows instead of opening the files; it is answered exactly as without.
 * Returns the rows the connection holds afterwards (every tenant's closed days).
 *
 * @example
 * await holdRecentDays(connection, lake, 'acme', { from: Date.now() - 7 * DAY_MS, to: Date.now() }, ['dimensions.country']);
 */
export async function holdRecentDays(connection: DuckDBConnection, lake: LakeStore, tenantId: string, range: { from: number; to: number }, scalars: readonly string[]): Promise<number> {
  const source = await rawEventsOver(lake, tenantId, [range], { connection, scalars });
  await source?.release();
  return heldRowCount(connection);
}
