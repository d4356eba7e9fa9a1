import type { DuckDBConnection } from '@duckdb/node-api';
import { settledSince, type ErasureSnapshot } from './erasure-guard.ts';
import type { LakeStore } from './lake-store.ts';
import { lit } from './metric-sql.ts';
import type { RawManifest } from './raw-manifest.ts';

/*
 * The columnar copy of a closed tenant-day's raw events (ADR-0086), written by the batch next to
 * the raw store it is derived from, which stays the immutable source:
 *
 *   columnar/tenant=<tenantId>/date=<YYYY-MM-DD>/events.parquet   one row per raw line of the tenant
 *   columnar/tenant=<tenantId>/date=<YYYY-MM-DD>/copy.json        its stamp, written after it
 *
 * A reader uses the copy only while its stamp matches: the same raw listing (the day's manifest,
 * so a late object or a rewrite marker makes it stale), no erasure request settled since it was
 * compacted, and the JSON keys the batch's metrics read stored alongside. Anything else reads
 * the NDJSON, and the batch compacts again.
 */
export const columnarTenantPrefix = (tenantId: string) => `columnar/tenant=${tenantId}/`;
export const columnarKey = (tenantId: string, date: string) => `columnar/tenant=${tenantId}/date=${date}/events.parquet`;
export const columnarStampKey = (tenantId: string, date: string) => `columnar/tenant=${tenantId}/date=${date}/copy.json`;

export interface ColumnarStamp {
  /** The listing of raw objects the copy was compacted from. */
  raw: RawManifest;
  /** Erasure requests already settled when that listing was taken. */
  erasures: string[];
  /** Of the Parquet bytes: names the file in a download cache. */
  sha256: string;
  /** Per JSON root, the STRUCT of first-level keys stored as `k_<root>` (what the metrics read). */
  keys: Record<string, string>;
  rows: number;
}

/** The JSON roots kept whole, as JSON text. */
const ROOTS = ['properties', 'context', 'traits', 'dimensions'] as const;

/** The stamp of a tenant-day's copy; null when there is none or it cannot be read (the day then reads NDJSON). */
export async function readColumnarStamp(lake: LakeStore, tenantId: string, date: string): Promise<ColumnarStamp | null> {
  const bytes = await lake.get(columnarStampKey(tenantId, date));
  if (!bytes) return null;
  try {
    const stamp = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<ColumnarStamp>;
    if (typeof stamp.raw?.sha256 !== 'string' || !Array.isArray(stamp.erasures) || typeof stamp.sha256 !== 'string' || typeof stamp.keys !== 'object' || stamp.keys === null) return null;
    return stamp as ColumnarStamp;
  } catch {
    return null;
  }
}

/** Whether a copy with this stamp holds exactly the events of the raw listing `manifest`, as of the erasure list `erasures`. */
export function copyMatches(stamp: ColumnarStamp, manifest: RawManifest, erasures: ErasureSnapshot): boolean {
  return stamp.raw.sha256 === manifest.sha256 && !settledSince(new Map(stamp.erasures.map((key) => [key, true])), erasures);
}

/** What the batch's metrics need from the copy: the same first-level keys per root. */
export function copyHasKeys(stamp: ColumnarStamp, keys: Readonly<Record<string, string>>): boolean {
  const want = Object.entries(keys);
  return want.length === Object.keys(stamp.keys).length && want.every(([root, type]) => stamp.keys[root] === type);
}

export function settledKeys(erasures: ErasureSnapshot): string[] {
  return [...erasures].filter(([, settled]) => settled).map(([key]) => key).sort();
}

/**
 * Compacts one tenant-day's raw NDJSON files into the copy's Parquet at `outPath`, in one read:
 * each line of the tenant with its object's position among the sorted names (`file`, so copies of
 * a messageId rank as the batch ranks them), event and receipt times in ms, the JSON roots whole,
 * `first` for the first receipt of each messageId (what event questions keep), and per root in
 * `keys` the STRUCT of first-level keys the batch reads, so it does not parse JSON again.
 * Rows are ordered by event time, so a question over part of the day skips row groups.
 */
export async function compactRawDay(connection: DuckDBConnection, tenantId: string, files: readonly string[], keys: Readonly<Record<string, string>>, outPath: string): Promise<number> {
  const sorted = [...files].sort();
  const schema = `{tenantId: 'VARCHAR', messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR', timestamp: 'VARCHAR', receivedAt: 'VARCHAR', isBot: 'BOOLEAN'${ROOTS.map((r) => `, ${r}: 'JSON'`).join('')}}`;
  const structs = Object.entries(keys).map(([root, type]) => `, json_transform(${root}, ${lit(structJson(type))}) AS k_${root}`).join('');
  const copied = await connection.runAndReadAll(`COPY (
      SELECT file, messageId, type, event, userId, anonymousId, isBot, ts_ms, rcv_ms, ${ROOTS.join(', ')},
        row_number() OVER (PARTITION BY messageId ORDER BY rcv_ms NULLS LAST, file, hash(ts_ms, type, event, isBot, userId, anonymousId${ROOTS.map((r) => `, ${r}::VARCHAR`).join('')})) = 1 AS first${structs}
      FROM (SELECT list_position([${sorted.map(lit).join(', ')}]::VARCHAR[], filename)::INTEGER AS file, messageId, type, event, userId, anonymousId, isBot,
          epoch_ms(try_cast("timestamp" AS TIMESTAMPTZ)) AS ts_ms, epoch_ms(try_cast(receivedAt AS TIMESTAMPTZ)) AS rcv_ms, ${ROOTS.join(', ')}
        FROM read_json([${sorted.map(lit).join(', ')}], format = 'newline_delimited', filename = true, columns = ${schema})
        WHERE tenantId = ${lit(tenantId)})
      ORDER BY ts_ms NULLS FIRST, messageId, file)
    TO ${lit(outPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
  return Number(copied.getRowsJS()[0]?.[0] ?? 0);
}

/** A DuckDB STRUCT type of JSON fields (`STRUCT("a" JSON, "b" JSON)`) as json_transform's structure. */
function structJson(type: string): string {
  const names = [...type.matchAll(/"((?:[^"]|"")*)" JSON/g)].map((m) => m[1]!.replaceAll('""', '"'));
  return JSON.stringify(Object.fromEntries(names.map((n) => [n, 'JSON'])));
}

/**
 * The copy as the batch's compute reads it: the columns of the raw read, with each root's stored
 * STRUCT of first-level keys under the root's name. `tenantId` is a constant: the copy holds one tenant.
 */
export function copySourceSql(path: string, tenantId: string, keys: Readonly<Record<string, string>>): string {
  const roots = Object.keys(keys).map((root) => `, k_${root} AS ${root}`).join('');
  return `(SELECT ${lit(tenantId)} AS tenantId, file, messageId, type, event, userId, anonymousId, isBot, ts_ms, rcv_ms${roots} FROM read_parquet(${lit(path)}))`;
}

/** The same columns with no rows: a day without raw objects. */
export function emptySourceSql(tenantId: string, keys: Readonly<Record<string, string>>): string {
  const roots = Object.entries(keys).map(([root, type]) => `, NULL::${type} AS ${root}`).join('');
  return `(SELECT ${lit(tenantId)} AS tenantId, NULL::INTEGER AS file, NULL::VARCHAR AS messageId, NULL::VARCHAR AS type, NULL::VARCHAR AS event, NULL::VARCHAR AS userId,
    NULL::VARCHAR AS anonymousId, NULL::BOOLEAN AS isBot, NULL::BIGINT AS ts_ms, NULL::BIGINT AS rcv_ms${roots} WHERE false)`;
}
