import type { DuckDBConnection } from '@duckdb/node-api';
import type { MetricDeclaration } from '../contracts/index.ts';
import type { Period } from './layout.ts';
import { QUARTER_MS, VIEW_COLUMNS, cellsSql, eventColumns, goalHitsSql, identitiesSql, lit, preAggregateSql, rejectionsSql, visitsSql } from './metric-sql.ts';
import { copySourceSql, emptySourceSql } from './raw-columnar.ts';
import { DEFAULT_VISIT_TIMEOUT_MS, type GoalDefinition } from '../contracts/index.ts';

export interface PeriodInput {
  tenantId: string;
  period: Period;
  /** The day's columnar copy (raw-columnar.ts) as a local Parquet file; null when the day has no raw objects. */
  copy: string | null;
  /** The raw objects the copy was compacted from. */
  objects: number;
  /** The period's end plus the grace: events received at or after it are reported as `late` (and counted). */
  cutoff: number;
  metrics: readonly MetricDeclaration[];
  /** The tenant's visit timeout; default 30 minutes. */
  visitTimeoutMs?: number;
  /** The tenant's goals, for the goal metrics; none by default. */
  goals?: readonly GoalDefinition[];
}

/** What one tenant-day's run saw; deterministic for the same raw files. */
export interface PeriodStats {
  tenantId: string;
  date: string;
  files: number;
  /** Lines read for the tenant in the day's folders. */
  rawEvents: number;
  /**
   * Extra copies of a messageId already seen. The first is kept by receivedAt, then lake key; copies
   * tied on both (the same append retried into one file) are ordered by a hash of their content,
   * which DuckDB's line-order-free scan needs to stay deterministic.
   */
  duplicates: number;
  /** Distinct events of this period counted into the view. */
  events: number;
  /** Of `events`, those received at or after the cutoff: after the day had closed (ADR-0019). */
  late: number;
  /** Events whose timestamp or receivedAt is not a date; not counted (the speed layer rejects them too). */
  invalidTime: number;
  /** Values a metric could not use, as `contributions()` reports them. */
  rejected: number;
  cells: number;
}

/**
 * Computes one tenant-day into a Parquet file at `outPath`: reads the day's columnar copy, keeps
 * the first copy of each messageId, keeps the events of the period whenever they were received, and writes one row per metric cell (quarter hour × series), sorted so the same
 * input gives the same bytes.
 *
 * One pass reads the copy and derives every per-event value into `scan`; duplicates are ranked
 * only among the few messageIds that occur more than once; `ev` holds the kept events.
 *
 * @example
 * const stats = await computePeriod(connection, { tenantId: 'acme', period: periodOf('2026-03-10'), copy, objects, cutoff, metrics: METRICS }, '/tmp/cells.parquet');
 */
export async function computePeriod(connection: DuckDBConnection, input: PeriodInput, outPath: string): Promise<PeriodStats> {
  const { tenantId, period, copy, cutoff, metrics } = input;
  const columns = eventColumns(metrics, input.goals ?? []);
  const source = copy === null ? emptySourceSql(tenantId, columns.roots) : copySourceSql(copy, tenantId, columns.roots);
  const run = (sql: string) => connection.run(sql);
  const list = (items: string[]) => items.map((s) => `,\n      ${s}`).join('');
  const inPeriod = `ts_ms >= ${period.start} AND ts_ms < ${period.end}`;

  // Every order this job depends on is spelled out (ORDER BY in the window, the aggregates and the
  // COPY), so DuckDB may write the tables below from both threads in any order.
  await run('SET preserve_insertion_order = false');
  // `file`, the object's position among the day's sorted keys, orders copies like the lake key.
  await run(`CREATE OR REPLACE TEMP TABLE scan AS
    SELECT messageId, file, ts_ms, rcv_ms, (ts_ms // ${QUARTER_MS}) * ${QUARTER_MS} AS bucket, type, event, isBot${list(columns.derived)}
    FROM (SELECT *${list(columns.values)}
      FROM (SELECT *${list(columns.leaves)} FROM ${source}))`);
  // Copies after the first: ranked by receipt, then lake key, then a hash of every value a metric
  // reads (copies equal in all of them count alike, so which one is kept does not show).
  await run(`CREATE OR REPLACE TEMP TABLE dropped AS
    SELECT rid FROM (
      SELECT scan.rowid AS rid, row_number() OVER (PARTITION BY scan.messageId ORDER BY rcv_ms NULLS LAST, file, hash(ts_ms, type, event, isBot${columns.names.map((n) => `, ${n}`).join('')})) AS copy
      FROM scan SEMI JOIN (SELECT messageId FROM scan GROUP BY ALL HAVING count(*) > 1) AS d ON scan.messageId IS NOT DISTINCT FROM d.messageId)
    WHERE copy > 1`);
  const counted = await connection.runAndReadAll(`SELECT count(*), (SELECT count(*) FROM dropped) FROM scan`);
  await run(`DELETE FROM scan WHERE rowid IN (SELECT rid FROM dropped)`);
  await run(`CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM scan WHERE ${inPeriod} AND rcv_ms IS NOT NULL`);
  await run(`CREATE OR REPLACE TEMP TABLE pre AS ${preAggregateSql(metrics, columns) ?? 'SELECT NULL WHERE false'}`);
  const identities = identitiesSql(metrics, columns);
  const visits = visitsSql(metrics, columns, input.visitTimeoutMs ?? DEFAULT_VISIT_TIMEOUT_MS);
  if (visits) await run(`CREATE OR REPLACE TEMP TABLE visits AS ${visits}`);
  const goalHits = goalHitsSql(metrics, columns);
  if (goalHits) await run(`CREATE OR REPLACE TEMP TABLE gev AS ${goalHits}`);
  await run(`CREATE OR REPLACE TEMP TABLE idh AS ${identities ?? 'SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS hx, 0 AS ix, 0 AS rk WHERE false'}`);
  const copied = await connection.runAndReadAll(`COPY (SELECT ${VIEW_COLUMNS} FROM (${cellsSql(metrics, columns)})
      ORDER BY metric, dimension NULLS FIRST, value NULLS FIRST, bucket, item NULLS LAST)
    TO ${lit(outPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);

  const reader = await connection.runAndReadAll(`SELECT
      count(*) FILTER (WHERE ${inPeriod} AND rcv_ms IS NOT NULL) AS events,
      count(*) FILTER (WHERE ${inPeriod} AND rcv_ms >= ${cutoff}) AS late,
      count(*) FILTER (WHERE ts_ms IS NULL OR rcv_ms IS NULL) AS invalid,
      (${rejectionsSql(metrics, columns)}) AS rejected
    FROM scan`);
  const row = reader.getRowObjectsJS()[0] ?? {};
  await run('DROP VIEW IF EXISTS ev; DROP TABLE IF EXISTS scan; DROP TABLE IF EXISTS dropped; DROP TABLE IF EXISTS pre; DROP TABLE IF EXISTS idh; DROP TABLE IF EXISTS visits; DROP TABLE IF EXISTS gev;');
  const n = (key: string) => Number(row[key] ?? 0);
  return {
    tenantId,
    date: period.date,
    files: input.objects,
    rawEvents: Number(counted.getRowsJS()[0]?.[0] ?? 0),
    duplicates: Number(counted.getRowsJS()[0]?.[1] ?? 0),
    events: n('events'),
    late: n('late'),
    invalidTime: n('invalid'),
    rejected: n('rejected'),
    cells: Number(copied.getRowsJS()[0]?.[0] ?? 0),
  };
}
