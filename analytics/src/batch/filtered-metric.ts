import type { DuckDBConnection } from '@duckdb/node-api';
import type { FilteredMetricAnswer, FilteredMetricPart, FilteredMetricSpec, TopItem } from './filtered-parts.ts';
import type { LakeStore } from './lake-store.ts';
import { rawEventsOver, type RawFreshness } from './raw-events.ts';
import { answerByDay, BY_DAY } from './filtered-metric-days.ts';
import { partRows, readRange } from './filtered-rows.ts';
import { dimensionSql, type RawDimension, type RawFilter, valueSql, type VisitPage } from './raw-dimension.ts';

export { dimensionSql, valueSql, type RawDimension, type RawFilter, type VisitPage };
export type { FilteredMetricAnswer, FilteredMetricPart, FilteredMetricSpec, RawGoals, RawMeasure, TopItem } from './filtered-parts.ts';

const num = (value: unknown) => Number(value ?? 0);

/**
 * One metric over the given periods, counted exactly from the raw events with any number of
 * dimension filters and a breakdown by any other dimension: what the stored cells, one dimension
 * deep, cannot answer. See `filteredMetrics`.
 *
 * @example
 * await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'count' }, types: ['page'],
 *   filters: [{ dimension: { kind: 'json', root: 'dimensions', path: ['country'] }, value: 'GB' }], buckets });
 */
export async function filteredMetric(connection: DuckDBConnection, lake: LakeStore, spec: FilteredMetricSpec): Promise<{ result: FilteredMetricAnswer; freshness: RawFreshness }> {
  const { tenantId, ...part } = spec;
  const { results, freshness } = await filteredMetrics(connection, lake, tenantId, [part]);
  return { result: results[0]!, freshness };
}

/**
 * Several metrics of one tenant (a ratio's numerator and denominator, each over a period and the
 * one it is compared with) counted from one read of the raw events in one statement: the events
 * are read and their JSON values extracted once, a visit fold is shared by every visit fact it
 * serves, and every part's periods, range total and breakdown values come from one grouping-sets
 * pass, keyed by part. Visit measures fold the visits of whole UTC days around their periods (a
 * visit never crosses midnight), so a visit counts in the period it started in with all of its
 * events, as in the cells.
 */
export async function filteredMetrics(
  connection: DuckDBConnection,
  lake: LakeStore,
  tenantId: string,
  parts: readonly FilteredMetricPart[],
): Promise<{ results: FilteredMetricAnswer[]; freshness: RawFreshness }> {
  const results = parts.map((part): FilteredMetricAnswer => ({
    points: part.buckets.map(() => ({ value: 0, breakdown: new Map<string, number>() })),
    total: 0,
    totals: new Map(),
    ...(part.measure.kind === 'topk' ? { top: [] } : {}),
  }));
  const asked = parts.map((part, k) => ({ part, k })).filter(({ part }) => part.buckets.length > 0);
  if (!asked.length) return { results, freshness: { source: 'raw events', through: null, files: 0 } };
  // Counts, sums, visit facts and distinct counts come from each day's alone: closed days from the shares their last answer left.
  if (asked.every(({ part }) => BY_DAY.has(part.measure.kind))) return answerByDay(connection, lake, tenantId, asked, results);
  const ranges = asked.map(({ part }) => readRange(part));

  const rowsOf = partRows(asked.map(({ part }) => part));
  const { setOf, bots } = rowsOf;
  const topk = asked.filter(({ part }) => part.measure.kind === 'topk');
  const limit = Math.max(0, ...topk.map(({ part }) => Math.floor(part.limit ?? 10)));
  // j: per part and period, the rows counted (mn a number to add, ms a distinct identity or a top-K item).
  const j = asked.map(({ part, k }, n) => {
    const periods = part.buckets.map((b, i) => `(${i}, ${Math.floor(b.start)}, ${Math.floor(b.end)})`).join(', ');
    const text = part.measure.kind === 'unique_person' || part.measure.kind === 'unique_session' || part.measure.kind === 'topk';
    return `SELECT ${k} AS k, p.i, f.v, ${text ? 'NULL::HUGEINT' : 'f.m::HUGEINT'} AS mn, ${text ? 'f.m::VARCHAR' : 'NULL::VARCHAR'} AS ms, f.t
        FROM ${setOf[n]} f JOIN (VALUES ${periods}) p(i, s, t) ON f.ts_ms >= p.s AND f.ts_ms < p.t`;
  });
  const counted = asked.filter(({ part }) => part.measure.kind !== 'topk').map(({ k }) => k);
  // A distinct count in grouping sets costs a hash table per set: asked only when a part counts distinct values.
  const distinct = asked.some(({ part }) => part.measure.kind === 'unique_person' || part.measure.kind === 'unique_session');
  const selects = [
    // Without a breakdown v is NULL throughout: its sets repeat the totals and are skipped below.
    ...(counted.length
      ? [`SELECT k, i, v, grouping(i) AS gi, grouping(v) AS gv, count(*) AS c, count(*) FILTER (WHERE t) AS ct, sum(mn) AS s, sum(mn) FILTER (WHERE t) AS st,
            ${distinct ? 'count(DISTINCT ms) AS d, count(DISTINCT ms) FILTER (WHERE t) AS dt' : 'NULL AS d, NULL AS dt'}
          FROM j WHERE k IN (${counted.join(', ')}) GROUP BY GROUPING SETS ((k, i), (k, i, v), (k), (k, v))`]
      : []),
    // Top-K: v is the item, kept per period and over the range while it ranks (ties included) within the limit.
    ...(topk.length
      ? [`SELECT k, i, v, gi, 0 AS gv, n AS c, n AS ct, NULL AS s, NULL AS st, NULL AS d, NULL AS dt
            FROM (SELECT k, i, ms AS v, grouping(i) AS gi, count(*) AS n FROM j WHERE k IN (${topk.map(({ k }) => k).join(', ')}) GROUP BY GROUPING SETS ((k, i, ms), (k, ms)))
            QUALIFY rank() OVER (PARTITION BY k, gi, i ORDER BY n DESC) <= ${limit}`,
         `SELECT k, i, NULL, grouping(i), 1, count(*), count(*), NULL, NULL, NULL, NULL FROM j WHERE k IN (${topk.map(({ k }) => k).join(', ')}) GROUP BY GROUPING SETS ((k, i), (k))`]
      : []),
    // The latest receipt among the events the parts count from (the human ones, or the bot ones too when a part counts those).
    'SELECT NULL, NULL, NULL, -1, -1, max(rcv_ms), NULL, NULL, NULL, NULL, NULL FROM x',
  ];
  const raw = await rawEventsOver(lake, tenantId, ranges, { connection, scalars: rowsOf.columns.scalars(), bots });
  if (!raw) return { results, freshness: { source: 'raw events', through: null, files: 0 } };
  const sql = `WITH r AS (${raw.sql}),
      ${rowsOf.ctes()},
      j AS (${j.join('\n      UNION ALL ')})
    ${selects.join('\n    UNION ALL ')}`;
  let rows: Record<string, unknown>[];
  try {
    rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    await raw.release();
  }
  let through: string | null = null;
  const items = new Map<string, TopItem[]>();
  for (const row of rows) {
    // The last row: the latest receipt among all events read, filtered or not.
    if (num(row.gi) === -1) {
      through = row.c == null ? null : new Date(num(row.c)).toISOString();
      continue;
    }
    const k = num(row.k);
    const part = parts[k]!;
    const answer = results[k]!;
    const perPoint = num(row.gi) === 0;
    const perValue = num(row.gv) === 0;
    const kind = part.measure.kind;
    if (kind === 'topk' && perValue) {
      const at = `${k} ${perPoint ? num(row.i) : -1}`;
      items.set(at, [...(items.get(at) ?? []), { item: String(row.v), count: num(row.c) }]);
      continue;
    }
    // Events without the breakdown's value count in the totals only.
    if (perValue && row.v === null) continue;
    const [all, once] = kind === 'unique_person' || kind === 'unique_session' ? [row.d, row.dt] : kind === 'sum' || kind === 'visit' ? [row.s, row.st] : [row.c, row.ct];
    const n = num(perValue ? all : once);
    if (perPoint) {
      const point = answer.points[num(row.i)]!;
      if (perValue) point.breakdown.set(String(row.v), n);
      else point.value = n;
    } else if (perValue) answer.totals.set(String(row.v), n);
    else answer.total = n;
  }
  for (const { part, k } of topk) {
    // Ranked as TopKSummary ranks: count, then item in JavaScript's string order.
    const cap = Math.floor(part.limit ?? 10);
    const ranked = (list: TopItem[] = []) => list.sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)).slice(0, cap);
    const answer = results[k]!;
    answer.points.forEach((point, i) => (point.top = ranked(items.get(`${k} ${i}`))));
    answer.top = ranked(items.get(`${k} -1`));
  }
  return { results, freshness: { source: 'raw events', through, files: raw.files } };
}
