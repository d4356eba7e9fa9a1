import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from './metric-sql.ts';
import type { LakeStore } from './lake-store.ts';
import { rawEventsSql, type RawFreshness } from './raw-events.ts';

/**
 * A value the raw path can cut and filter by: an ingest dimension (`dimensions.<name>`), `type`,
 * `event` (track name, else type, as the cells store it) or a path under properties or context.
 */
export type RawDimension = { kind: 'column'; name: 'type' | 'event' } | { kind: 'json'; root: 'dimensions' | 'properties' | 'context'; path: readonly string[] };

/** What to measure per event: one, a decimal property in minor units, or a distinct person. */
export type RawMeasure = { kind: 'count' } | { kind: 'sum'; property: string; decimals: number } | { kind: 'unique_person' };

export interface FilteredMetricSpec {
  tenantId: string;
  measure: RawMeasure;
  types?: readonly string[];
  events?: readonly string[];
  /** All must hold (AND). */
  filters: ReadonlyArray<{ dimension: RawDimension; value: string }>;
  breakdown?: RawDimension;
  /** The series' periods (UTC ms, end exclusive), contiguous and ascending. */
  buckets: ReadonlyArray<{ start: number; end: number }>;
}

export interface FilteredMetricAnswer {
  points: Array<{ value: number; breakdown: Map<string, number> }>;
  total: number;
  /** Each breakdown value over the whole range (a distinct count over the range for unique). */
  totals: Map<string, number>;
}

const num = (value: unknown) => Number(value ?? 0);

export function dimensionSql(dimension: RawDimension): string {
  if (dimension.kind === 'column') return dimension.name === 'event' ? 'coalesce(event, type)' : 'type';
  return `json_extract(${dimension.root}, ${lit(`$${dimension.path.map((k) => `."${k}"`).join('')}`)})`;
}

/** `js_scalar` reads a column: each JSON value is extracted once in `x`, then read as the cells read it. */
export const valueSql = (dimension: RawDimension, column: string) => (dimension.kind === 'column' ? column : `js_scalar(${column})`);

function measureSql(measure: RawMeasure): string {
  if (measure.kind === 'count') return '1';
  if (measure.kind === 'unique_person') return 'person';
  const key = measure.property.replace(/^properties\./, '');
  return `js_minor_units(js_minor_text(json_extract(properties, ${lit(`$."${key}"`)})), ${Math.floor(measure.decimals)})`;
}

/**
 * One metric over the given periods, counted exactly from the raw events with any number of
 * dimension filters and a breakdown by any other dimension: what the stored cells, one dimension
 * deep, cannot answer. Periods, the range total and each breakdown value's range total come from
 * one grouping-sets pass.
 *
 * @example
 * await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'count' }, types: ['page'],
 *   filters: [{ dimension: { kind: 'json', root: 'dimensions', path: ['country'] }, value: 'GB' }], buckets });
 */
export async function filteredMetric(connection: DuckDBConnection, lake: LakeStore, spec: FilteredMetricSpec): Promise<{ result: FilteredMetricAnswer; freshness: RawFreshness }> {
  const points = spec.buckets.map(() => ({ value: 0, breakdown: new Map<string, number>() }));
  const answer: FilteredMetricAnswer = { points, total: 0, totals: new Map() };
  const first = spec.buckets[0];
  const last = spec.buckets.at(-1);
  if (!first || !last) return { result: answer, freshness: { source: 'raw events', through: null, files: 0 } };
  const raw = await rawEventsSql(lake, spec.tenantId, first.start, last.end);
  if (!raw) return { result: answer, freshness: { source: 'raw events', through: null, files: 0 } };

  const wanted = [...spec.filters.map((f) => f.dimension), ...(spec.breakdown ? [spec.breakdown] : [])];
  const extracted = wanted.map((d, i) => `${dimensionSql(d)} AS x${i}`);
  const where = [
    'm IS NOT NULL',
    ...(spec.types ? [spec.types.length ? `type IN (${spec.types.map(lit).join(', ')})` : 'false'] : []),
    ...(spec.events ? [spec.events.length ? `event IN (${spec.events.map(lit).join(', ')})` : 'false'] : []),
    ...spec.filters.map((f, i) => `${valueSql(f.dimension, `x${i}`)} = ${lit(f.value)}`),
  ];
  const cut = spec.breakdown ? valueSql(spec.breakdown, `x${spec.filters.length}`) : 'NULL::VARCHAR';
  const agg = spec.measure.kind === 'count' ? 'count(*)' : spec.measure.kind === 'sum' ? 'coalesce(sum(m), 0)' : 'count(DISTINCT m)';
  const periods = spec.buckets.map((b, i) => `(${i}, ${Math.floor(b.start)}, ${Math.floor(b.end)})`).join(', ');
  // Without a breakdown v is NULL throughout: its sets repeat the totals and are skipped below.
  const sql = `WITH r AS (${raw.sql}),
      x AS (SELECT ts_ms, rcv_ms, type, event, ${measureSql(spec.measure)} AS m${extracted.map((e) => `, ${e}`).join('')} FROM r),
      f AS (SELECT ts_ms, m, ${cut} AS v FROM x WHERE ${where.join(' AND ')}),
      p(i, s, t) AS (VALUES ${periods}),
      j AS (SELECT p.i, f.v, f.m FROM f JOIN p ON f.ts_ms >= p.s AND f.ts_ms < p.t)
    SELECT i, v, grouping(i) AS gi, grouping(v) AS gv, ${agg} AS n FROM j GROUP BY GROUPING SETS ((i), (i, v), (), (v))
    UNION ALL SELECT NULL, NULL, -1, -1, max(rcv_ms) FROM x`;
  let rows: Record<string, unknown>[];
  try {
    rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    await raw.release();
  }
  let through: string | null = null;
  for (const row of rows) {
    const n = num(row.n);
    // The last row: the latest receipt among all events read, filtered or not.
    if (num(row.gi) === -1) {
      through = row.n == null ? null : new Date(n).toISOString();
      continue;
    }
    const perPoint = num(row.gi) === 0;
    const perValue = num(row.gv) === 0;
    // Events without the breakdown's value count in the totals only.
    if (perValue && (spec.breakdown === undefined || row.v === null)) continue;
    if (perPoint) {
      const point = points[num(row.i)]!;
      if (perValue) point.breakdown.set(String(row.v), n);
      else point.value = n;
    } else if (perValue) answer.totals.set(String(row.v), n);
    else answer.total = n;
  }
  return { result: answer, freshness: { source: 'raw events', through, files: raw.files } };
}
