import type { DuckDBConnection } from '@duckdb/node-api';
import type { MetricDeclaration } from '../contracts/index.ts';
import type { Period } from './layout.ts';
import { cellsSql, goalHitsSql, identitiesSql, preAggregateSql, rejectionsSql, uniqueIdsSql, visitsSql } from './cells-sql.ts';
import { QUARTER_MS, VIEW_COLUMNS, eventColumns, lit } from './metric-sql.ts';
import { emptySourceSql } from './raw-columnar.ts';
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
 * the first copy of each messageId, keeps the events of the period whenever they were received,
 * and writes one row per metric cell (quarter hour × series), sorted so the same input gives the
 * same bytes.
 *
 * One pass reads the kept events of the copy and derives every per-event value into `ev`; the
 * cells then come from a few groupings over `ev` and what is built from it (cells-sql.ts).
 *
 * @example
 * const stats = await computePeriod(connection, { tenantId: 'acme', period: periodOf('2026-03-10'), copy, objects, cutoff, metrics: METRICS }, '/tmp/cells.parquet');
 */
export async function computePeriod(connection: DuckDBConnection, input: PeriodInput, outPath: string): Promise<PeriodStats> {
  const { tenantId, period, copy, cutoff, metrics } = input;
  const columns = eventColumns(metrics, input.goals ?? []);
  const run = (sql: string) => connection.run(sql);
  const list = (items: string[]) => items.map((s) => `,\n      ${s}`).join('');
  const inPeriod = `ts_ms >= ${period.start} AND ts_ms < ${period.end}`;

  // Every order this job depends on is spelled out (ORDER BY in the windows, the aggregates and
  // the COPY), so DuckDB may write the tables below from both threads in any order.
  await run('SET preserve_insertion_order = false');
  // What the copy holds about the day's lines, from its plain columns alone: `first` marks the
  // copy of each messageId the batch keeps (the first receipt, then lake key, then a hash of the
  // line's content: see compactRawDay).
  const counted = copy === null ? null : await connection.runAndReadAll(`SELECT count(*) AS raw, count(*) FILTER (WHERE NOT first) AS duplicates,
      count(*) FILTER (WHERE first AND ${inPeriod} AND rcv_ms IS NOT NULL) AS events,
      count(*) FILTER (WHERE first AND ${inPeriod} AND rcv_ms >= ${cutoff}) AS late,
      count(*) FILTER (WHERE first AND (ts_ms IS NULL OR rcv_ms IS NULL)) AS invalid
    FROM read_parquet(${lit(copy)})`);
  // The period's kept events, and every per-event value the metrics read, worked out once each
  // and only for those rows: the filter is pushed into the Parquet scan.
  const source = copy === null ? emptySourceSql(tenantId, columns.roots) : keptEventsSql(copy, columns.roots, inPeriod);
  await run(`CREATE OR REPLACE TEMP TABLE ev AS
    SELECT messageId, ts_ms, (ts_ms // ${QUARTER_MS}) * ${QUARTER_MS} AS bucket, type, event, isBot${list(columns.derived)}
    FROM (SELECT *${list(columns.units)}
      FROM (SELECT *${list(columns.values)}
        FROM (SELECT *${list(columns.leaves)} FROM ${source})))`);
  await run(`CREATE OR REPLACE TEMP TABLE pre AS ${preAggregateSql(metrics, columns) ?? 'SELECT NULL WHERE false'}`);
  const visits = visitsSql(metrics, columns, input.visitTimeoutMs ?? DEFAULT_VISIT_TIMEOUT_MS);
  if (visits) await run(`CREATE OR REPLACE TEMP TABLE visits AS ${visits}`);
  const goalHits = goalHitsSql(metrics, columns);
  if (goalHits) await run(`CREATE OR REPLACE TEMP TABLE gev AS ${goalHits}`);
  const identities = identitiesSql(metrics, columns);
  await run(`CREATE OR REPLACE TEMP TABLE idh AS ${identities ?? 'SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS hx, 0 AS ix, 0 AS rk WHERE false'}`);
  const uniqueIds = uniqueIdsSql(metrics, columns);
  await run(`CREATE OR REPLACE TEMP TABLE uid AS ${uniqueIds ?? 'SELECT NULL::VARCHAR AS metric, NULL::VARCHAR AS dimension, NULL::VARCHAR AS value, NULL::BIGINT AS bucket, NULL::VARCHAR AS id WHERE false'}`);
  const copied = await connection.runAndReadAll(`COPY (SELECT ${VIEW_COLUMNS} FROM (${cellsSql(metrics, columns)})
      ORDER BY metric, dimension NULLS FIRST, value NULLS FIRST, bucket, item NULLS LAST)
    TO ${lit(outPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`);

  const reader = await connection.runAndReadAll(rejectionsSql(metrics, columns));
  const row = reader.getRowObjectsJS()[0] ?? {};
  await run('DROP TABLE IF EXISTS ev; DROP TABLE IF EXISTS pre; DROP TABLE IF EXISTS idh; DROP TABLE IF EXISTS uid; DROP TABLE IF EXISTS visits; DROP TABLE IF EXISTS gev;');
  const stats = counted?.getRowObjectsJS()[0] ?? {};
  const n = (key: string) => Number(stats[key] ?? 0);
  return {
    tenantId,
    date: period.date,
    files: input.objects,
    rawEvents: n('raw'),
    duplicates: n('duplicates'),
    events: n('events'),
    late: n('late'),
    invalidTime: n('invalid'),
    rejected: Number(row.rejected ?? 0),
    cells: Number(copied.getRowsJS()[0]?.[0] ?? 0),
  };
}

/**
 * The copy's rows the batch counts: the kept copy of each messageId (`first`), in the period, with
 * a receipt time; the columns of the raw read, each root's stored STRUCT of first-level keys under
 * the root's name.
 */
function keptEventsSql(path: string, keys: Readonly<Record<string, string>>, inPeriod: string): string {
  const roots = Object.keys(keys).map((root) => `, k_${root} AS ${root}`).join('');
  return `(SELECT messageId, type, event, userId, anonymousId, isBot, ts_ms${roots} FROM read_parquet(${lit(path)}) WHERE first AND ${inPeriod} AND rcv_ms IS NOT NULL)`;
}
