import type { DuckDBConnection } from '@duckdb/node-api';
import type { VisitFact } from '../contracts/index.ts';
import { lit } from './metric-sql.ts';
import type { LakeStore } from './lake-store.ts';
import { rawEventsSql, type RawFreshness } from './raw-events.ts';
import { visitRowsSql } from './filtered-visits.ts';
import { dimensionSql, jsonAtSql, type RawDimension, type RawFilter, valueSql, type VisitPage } from './raw-dimension.ts';

export { dimensionSql, valueSql, type RawDimension, type RawFilter, type VisitPage };

/**
 * What to measure: per event one, a decimal property in minor units, a distinct person or
 * session, or the most frequent values of the first present path; per visit (folded from the
 * events as the batch folds them) one of its facts.
 */
export type RawMeasure =
  | { kind: 'count' }
  | { kind: 'sum'; property: string; decimals: number }
  | { kind: 'unique_person' }
  | { kind: 'unique_session' }
  | { kind: 'topk'; paths: readonly string[] }
  | { kind: 'visit'; fact: VisitFact; timeoutMs: number };

export interface FilteredMetricSpec {
  tenantId: string;
  measure: RawMeasure;
  types?: readonly string[];
  events?: readonly string[];
  /** All must hold (AND). */
  filters: readonly RawFilter[];
  /** For a visit measure, the entry event's value (or the visit's entry or exit page). */
  breakdown?: RawDimension | VisitPage;
  /** The series' periods (UTC ms, end exclusive), contiguous and ascending. */
  buckets: ReadonlyArray<{ start: number; end: number }>;
  /** Top-K measures: items returned per period and over the range. Default 10. */
  limit?: number;
}

export interface TopItem {
  item: string;
  count: number;
}

export interface FilteredMetricAnswer {
  /** Per period: the count, sum or distinct count (for top-K, the hits of every item). */
  points: Array<{ value: number; breakdown: Map<string, number>; top?: TopItem[] }>;
  total: number;
  /** Each breakdown value over the whole range (a distinct count over the range for unique). */
  totals: Map<string, number>;
  /** Top-K measures: the range's most frequent items. */
  top?: TopItem[];
}

const num = (value: unknown) => Number(value ?? 0);
const DAY_MS = 86_400_000;

/** The JSON (or column) values a measure reads, extracted once per event as `m0`, `m1`, …. */
function measureInputs(measure: RawMeasure): string[] {
  switch (measure.kind) {
    case 'sum':
      return [jsonAtSql(measure.property)];
    case 'unique_person':
      return ['person'];
    case 'unique_session':
      return [jsonAtSql('context.sessionId'), jsonAtSql('properties.sessionId')];
    case 'topk':
      return measure.paths.map(jsonAtSql);
    default:
      return [];
  }
}

/** The measured value over the inputs, as metrics.ts `measureValue` reads it; NULL = no contribution. */
function measureValueSql(measure: RawMeasure): string {
  switch (measure.kind) {
    case 'sum':
      return `js_minor_units(js_minor_text(m0), ${Math.floor(measure.decimals)})`;
    case 'unique_person':
      return 'm0';
    case 'unique_session':
      return 'coalesce(js_scalar(m0), js_scalar(m1))';
    case 'topk':
      return `coalesce(${measure.paths.map((_, i) => `js_scalar(m${i})`).join(', ')})`;
    default:
      return '1';
  }
}

/** CTEs `x` (per event, with rcv_ms) and `f` (ts_ms, m, v: what is counted, when, under which breakdown value) for a per-event measure. */
function eventRowsSql(spec: FilteredMetricSpec): string {
  const dims = [...spec.filters.map((f) => f.dimension), ...(spec.breakdown ? [spec.breakdown] : [])].map((d) => {
    if (d.kind === 'visit') throw new Error('A visit page filters or cuts visit measures only');
    return d;
  });
  const inputs = measureInputs(spec.measure).map((e, i) => `${e} AS m${i}`);
  const where = [
    ...(spec.types ? [spec.types.length ? `type IN (${spec.types.map(lit).join(', ')})` : 'false'] : []),
    ...(spec.events ? [spec.events.length ? `event IN (${spec.events.map(lit).join(', ')})` : 'false'] : []),
    ...spec.filters.map((f, i) => `${valueSql(dims[i]!, `x${i}`)} = ${lit(f.value)}`),
  ];
  const cut = spec.breakdown ? valueSql(dims[spec.filters.length]!, `x${spec.filters.length}`) : 'NULL::VARCHAR';
  return `x AS (SELECT ts_ms, rcv_ms, type, event${inputs.map((e) => `, ${e}`).join('')}${dims.map((d, i) => `, ${dimensionSql(d)} AS x${i}`).join('')} FROM r),
      f AS (SELECT ts_ms, m, v FROM (SELECT ts_ms, ${measureValueSql(spec.measure)} AS m, ${cut} AS v FROM x${where.length ? ` WHERE ${where.join(' AND ')}` : ''}) WHERE m IS NOT NULL)`;
}

/**
 * One metric over the given periods, counted exactly from the raw events with any number of
 * dimension filters and a breakdown by any other dimension: what the stored cells, one dimension
 * deep, cannot answer. Periods, the range total and each breakdown value's range total come from
 * one grouping-sets pass. Visit measures fold the visits of whole UTC days around the periods
 * first (a visit never crosses midnight), so a visit counts in the period it started in with all
 * of its events, as in the cells.
 *
 * @example
 * await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'count' }, types: ['page'],
 *   filters: [{ dimension: { kind: 'json', root: 'dimensions', path: ['country'] }, value: 'GB' }], buckets });
 */
export async function filteredMetric(connection: DuckDBConnection, lake: LakeStore, spec: FilteredMetricSpec): Promise<{ result: FilteredMetricAnswer; freshness: RawFreshness }> {
  const topk = spec.measure.kind === 'topk';
  const points: FilteredMetricAnswer['points'] = spec.buckets.map(() => ({ value: 0, breakdown: new Map<string, number>() }));
  const answer: FilteredMetricAnswer = { points, total: 0, totals: new Map(), ...(topk ? { top: [] } : {}) };
  const first = spec.buckets[0];
  const last = spec.buckets.at(-1);
  if (!first || !last) return { result: answer, freshness: { source: 'raw events', through: null, files: 0 } };
  const visits = spec.measure.kind === 'visit';
  const [from, to] = visits ? [Math.floor(first.start / DAY_MS) * DAY_MS, Math.ceil(last.end / DAY_MS) * DAY_MS] : [first.start, last.end];
  const raw = await rawEventsSql(lake, spec.tenantId, from, to);
  if (!raw) return { result: answer, freshness: { source: 'raw events', through: null, files: 0 } };

  const rows = spec.measure.kind === 'visit' ? visitRowsSql(spec, spec.measure) : eventRowsSql(spec);
  const limit = Math.floor(spec.limit ?? 10);
  const agg = spec.measure.kind === 'unique_person' || spec.measure.kind === 'unique_session' ? 'count(DISTINCT m)' : spec.measure.kind === 'sum' || visits ? 'coalesce(sum(m), 0)' : 'count(*)';
  // Without a breakdown v is NULL throughout: its sets repeat the totals and are skipped below.
  // Top-K: v is the item, kept per period and over the range while it ranks (ties included) within the limit.
  const grouped = topk
    ? `SELECT i, v, gi, 0 AS gv, n FROM (SELECT i, m AS v, grouping(i) AS gi, count(*) AS n FROM j GROUP BY GROUPING SETS ((i, m), (m)))
        QUALIFY rank() OVER (PARTITION BY gi, i ORDER BY n DESC) <= ${limit}
      UNION ALL SELECT i, NULL, grouping(i), 1, count(*) FROM j GROUP BY GROUPING SETS ((i), ())`
    : `SELECT i, v, grouping(i) AS gi, grouping(v) AS gv, ${agg} AS n FROM j GROUP BY GROUPING SETS ((i), (i, v), (), (v))`;
  const periods = spec.buckets.map((b, i) => `(${i}, ${Math.floor(b.start)}, ${Math.floor(b.end)})`).join(', ');
  const sql = `WITH r AS (${raw.sql}),
      ${rows},
      p(i, s, t) AS (VALUES ${periods}),
      j AS (SELECT p.i, f.v, f.m FROM f JOIN p ON f.ts_ms >= p.s AND f.ts_ms < p.t)
    ${grouped}
    UNION ALL SELECT NULL, NULL, -1, -1, max(rcv_ms) FROM x`;
  let result: Record<string, unknown>[];
  try {
    result = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    await raw.release();
  }
  let through: string | null = null;
  const items = new Map<number, TopItem[]>();
  for (const row of result) {
    const n = num(row.n);
    // The last row: the latest receipt among all events read, filtered or not.
    if (num(row.gi) === -1) {
      through = row.n == null ? null : new Date(n).toISOString();
      continue;
    }
    const perPoint = num(row.gi) === 0;
    const perValue = num(row.gv) === 0;
    if (topk && perValue) {
      const at = perPoint ? num(row.i) : -1;
      items.set(at, [...(items.get(at) ?? []), { item: String(row.v), count: n }]);
      continue;
    }
    // Events without the breakdown's value count in the totals only.
    if (perValue && (spec.breakdown === undefined || row.v === null)) continue;
    if (perPoint) {
      const point = points[num(row.i)]!;
      if (perValue) point.breakdown.set(String(row.v), n);
      else point.value = n;
    } else if (perValue) answer.totals.set(String(row.v), n);
    else answer.total = n;
  }
  if (topk) {
    // Ranked as TopKSummary ranks: count, then item in JavaScript's string order.
    const ranked = (list: TopItem[] = []) => list.sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)).slice(0, limit);
    points.forEach((point, i) => (point.top = ranked(items.get(i))));
    answer.top = ranked(items.get(-1));
  }
  return { result: answer, freshness: { source: 'raw events', through, files: raw.files } };
}
