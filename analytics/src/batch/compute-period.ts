import type { DuckDBConnection } from '@duckdb/node-api';
import type { MetricDeclaration } from '../contracts/metrics.ts';
import type { Period } from './layout.ts';
import { QUARTER_MS, RAW_COLUMNS, VIEW_COLUMNS, cellsSql, eventColumns, identitiesSql, lit, rejectionsSql } from './metric-sql.ts';

export interface PeriodInput {
  tenantId: string;
  period: Period;
  /** Local raw NDJSON files, named so that sorting by name is sorting by lake key. */
  files: readonly string[];
  /** Events received at or after this instant are late: the speed layer's and reconciliation's. */
  cutoff: number;
  metrics: readonly MetricDeclaration[];
}

/** What one tenant-day's run saw; deterministic for the same raw files. */
export interface PeriodStats {
  tenantId: string;
  date: string;
  files: number;
  /** Lines read for the tenant across the scanned folders (the period's hours and up to the cutoff). */
  rawEvents: number;
  /**
   * Extra copies of a messageId already seen. The first is kept by receivedAt, then lake key; copies
   * tied on both (the same append retried into one file) are ordered by a hash of their content,
   * which DuckDB's line-order-free scan needs to stay deterministic.
   */
  duplicates: number;
  /** Distinct events of this period counted into the view. */
  events: number;
  /** Events of this period received at or after the cutoff, seen in the scanned folders; not counted. */
  late: number;
  /** Events whose timestamp or receivedAt is not a date; not counted (the speed layer rejects them too). */
  invalidTime: number;
  /** Values a metric could not use, as `contributions()` reports them. */
  rejected: number;
  cells: number;
}

const EMPTY_RAW = `(SELECT NULL::VARCHAR AS tenantId, NULL::VARCHAR AS messageId, NULL::VARCHAR AS type, NULL::VARCHAR AS event, NULL::VARCHAR AS userId,
  NULL::VARCHAR AS anonymousId, NULL::VARCHAR AS "timestamp", NULL::VARCHAR AS receivedAt, NULL::JSON AS properties, NULL::JSON AS context,
  NULL::JSON AS traits, NULL::BOOLEAN AS isBot, NULL::VARCHAR AS filename WHERE false)`;

/**
 * Computes one tenant-day into a Parquet file at `outPath`: reads the raw files with an explicit
 * schema, keeps the first copy of each messageId, keeps the events of the period received
 * before the cutoff, and writes one row per metric cell (quarter hour × series), sorted so the
 * same input gives the same bytes.
 */
export async function computePeriod(connection: DuckDBConnection, input: PeriodInput, outPath: string): Promise<PeriodStats> {
  const { tenantId, period, files, cutoff, metrics } = input;
  const columns = eventColumns(metrics);
  const source = files.length
    ? `read_json([${files.map(lit).join(', ')}], format = 'newline_delimited', filename = true, columns = ${RAW_COLUMNS})`
    : EMPTY_RAW;
  const run = (sql: string) => connection.run(sql);

  await run(`CREATE OR REPLACE TEMP TABLE scan AS
    SELECT ts_ms, rcv_ms, row_number() OVER (PARTITION BY messageId ORDER BY rcv_ms NULLS LAST, filename, hash("timestamp", type, event, userId, anonymousId, properties, context, traits, isBot)) AS copy,
      (ts_ms // ${QUARTER_MS}) * ${QUARTER_MS} AS bucket, type, event, userId, anonymousId, isBot${columns.extract.map((s) => `,\n      ${s}`).join('')}
    FROM (SELECT *, epoch_ms(try_cast("timestamp" AS TIMESTAMPTZ)) AS ts_ms, epoch_ms(try_cast(receivedAt AS TIMESTAMPTZ)) AS rcv_ms FROM ${source})
    WHERE tenantId = ${lit(tenantId)}`);
  await run(`CREATE OR REPLACE TEMP TABLE ev AS
    SELECT bucket, type, event, isBot${columns.select.map((s) => `,\n      ${s}`).join('')}
    FROM scan WHERE copy = 1 AND ts_ms >= ${period.start} AND ts_ms < ${period.end} AND rcv_ms < ${cutoff}`);
  const identities = identitiesSql(metrics, columns);
  await run(`CREATE OR REPLACE TEMP TABLE idh AS ${identities ?? 'SELECT NULL::VARCHAR AS id, 0 AS ix, 0 AS rk WHERE false'}`);
  await run(`COPY (SELECT ${VIEW_COLUMNS} FROM (${cellsSql(metrics, columns)})
      ORDER BY metric, dimension NULLS FIRST, value NULLS FIRST, bucket, item NULLS LAST)
    TO ${lit(outPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);

  const reader = await connection.runAndReadAll(`SELECT
      count(*) AS raw,
      count(*) FILTER (WHERE copy > 1) AS duplicates,
      count(*) FILTER (WHERE copy = 1 AND ts_ms >= ${period.start} AND ts_ms < ${period.end} AND rcv_ms < ${cutoff}) AS events,
      count(*) FILTER (WHERE copy = 1 AND ts_ms >= ${period.start} AND ts_ms < ${period.end} AND rcv_ms >= ${cutoff}) AS late,
      count(*) FILTER (WHERE copy = 1 AND (ts_ms IS NULL OR rcv_ms IS NULL)) AS invalid,
      (${rejectionsSql(metrics, columns)}) AS rejected,
      (SELECT count(*) FROM read_parquet(${lit(outPath)})) AS cells
    FROM scan`);
  const row = reader.getRowObjectsJS()[0] ?? {};
  await run('DROP TABLE IF EXISTS ev; DROP TABLE IF EXISTS scan; DROP TABLE IF EXISTS idh;');
  const n = (key: string) => Number(row[key] ?? 0);
  return {
    tenantId,
    date: period.date,
    files: files.length,
    rawEvents: n('raw'),
    duplicates: n('duplicates'),
    events: n('events'),
    late: n('late'),
    invalidTime: n('invalid'),
    rejected: n('rejected'),
    cells: n('cells'),
  };
}
