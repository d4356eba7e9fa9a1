import type { DuckDBConnection } from '@duckdb/node-api';
import type { GoalDefinition, VisitFact } from '../contracts/index.ts';
import { goalConditionSql, lit } from './metric-sql.ts';
import type { LakeStore } from './lake-store.ts';
import { rawEventsOver, type RawFreshness } from './raw-events.ts';
import { visitFoldSql } from './filtered-visits.ts';
import { dimensionSql, jsonAtSql, type RawDimension, type RawFilter, scalarColumn, scalarValueSql, valueSql, type VisitPage } from './raw-dimension.ts';

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

/**
 * A goal measure counts only the events completing one of the tenant's goals (`only`: that one),
 * tested as goal-metrics.ts and the batch test them. By goal (`byGoal`), an event counts once per
 * goal it completes, while the totals count it once.
 */
export interface RawGoals {
  definitions: readonly GoalDefinition[];
  only?: string;
  byGoal?: boolean;
}

export interface FilteredMetricSpec {
  tenantId: string;
  measure: RawMeasure;
  types?: readonly string[];
  events?: readonly string[];
  /** Counts the bot events (the `bots` metric) instead of the human ones every other measure counts. */
  bots?: boolean;
  /** All must hold (AND). */
  filters: readonly RawFilter[];
  /** For a visit measure, the entry event's value (or the visit's entry or exit page). */
  breakdown?: RawDimension | VisitPage;
  /** Per-event measures only. */
  goals?: RawGoals;
  /** The series' periods (UTC ms, end exclusive), contiguous and ascending. */
  buckets: ReadonlyArray<{ start: number; end: number }>;
  /** Top-K measures: items returned per period and over the range. Default 10. */
  limit?: number;
}

/** One of the metrics a question asks of one tenant's raw events. */
export type FilteredMetricPart = Omit<FilteredMetricSpec, 'tenantId'>;

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

/**
 * The per-event columns of `x` the parts read, each expression once (e0, e1, …); a scalar at a
 * JSON path is the raw read's column for it (computed once per event, or held with a cached day).
 */
function eventColumnSet() {
  const named = new Map<string, string>();
  const paths = new Set<string>();
  const column = (expression: string): string => {
    let name = named.get(expression);
    if (name === undefined) named.set(expression, (name = `e${named.size}`));
    return name;
  };
  return {
    column,
    scalar(path: string): string {
      // Refuses a path outside properties, context and dimensions, as the JSON read did.
      jsonAtSql(path);
      paths.add(path);
      return column(scalarColumn(path));
    },
    scalars: () => [...paths],
    select: () => [...named].map(([expression, name]) => `, ${expression} AS ${name}`).join(''),
  };
}
type Columns = Pick<ReturnType<typeof eventColumnSet>, 'column' | 'scalar'>;

/** The measured value over `x`, as metrics.ts `measureValue` reads it; NULL = no contribution. */
function measureSql(measure: RawMeasure, { column, scalar }: Columns): string {
  switch (measure.kind) {
    case 'sum':
      return `js_minor_units(js_minor_text(${column(jsonAtSql(measure.property))}), ${Math.floor(measure.decimals)})`;
    case 'unique_person':
      return 'person';
    case 'unique_session':
      return `coalesce(${scalar('context.sessionId')}, ${scalar('properties.sessionId')})`;
    case 'topk':
      return `coalesce(${measure.paths.map(scalar).join(', ')})`;
    default:
      return '1';
  }
}

/**
 * The rows (ts_ms, m, v, t) a per-event part counts: what is counted, when, under which
 * breakdown value, and whether it counts in the totals (t false: a goal hit, counted by goal only).
 */
function eventRowsSql(part: FilteredMetricPart, columns: Columns): string {
  const dims = [...part.filters.map((f) => f.dimension), ...(part.breakdown ? [part.breakdown] : [])].map((d) => {
    if (d.kind === 'visit') throw new Error('A visit page filters or cuts visit measures only');
    return d;
  });
  const where = [
    `isBot = ${part.bots === true}`,
    ...(part.types ? [part.types.length ? `type IN (${part.types.map(lit).join(', ')})` : 'false'] : []),
    ...(part.events ? [part.events.length ? `event IN (${part.events.map(lit).join(', ')})` : 'false'] : []),
    ...part.filters.map((f, i) => `${scalarValueSql(dims[i]!, columns.column, columns.scalar)} = ${lit(f.value)}`),
  ];
  const goals = part.goals;
  // The goals in play: the one filtered by, else all; an event completing none of them is not counted.
  const completing = goals ? goals.definitions.filter((g) => goals.only === undefined || g.id === goals.only).map((g) => ({ id: g.id, sql: `coalesce(${goalConditionSql(g, columns.scalar)}, false)` })) : [];
  if (goals) where.push(completing.length ? `(${completing.map((g) => g.sql).join(' OR ')})` : 'false');
  const cut = part.breakdown ? scalarValueSql(dims[part.filters.length]!, columns.column, columns.scalar) : 'NULL::VARCHAR';
  const hits = goals?.byGoal ? `, list_filter([${completing.map((g) => `CASE WHEN ${g.sql} THEN ${lit(g.id)} END`).join(', ')}]::VARCHAR[], lambda g: g IS NOT NULL) AS goals` : '';
  const events = `SELECT * FROM (SELECT ts_ms, ${measureSql(part.measure, columns)} AS m, ${cut} AS v${hits} FROM x${where.length ? ` WHERE ${where.join(' AND ')}` : ''}) WHERE m IS NOT NULL`;
  if (!goals?.byGoal) return `SELECT ts_ms, m, v, true AS t FROM (${events})`;
  // goal-metrics.ts goalContributions: the totals once per event (the NULL), the goal breakdown once per goal it completes.
  return `SELECT ts_ms, m, g AS v, g IS NULL AS t FROM (SELECT ts_ms, m, unnest(list_prepend(NULL::VARCHAR, goals)) AS g FROM (${events}))`;
}

const sameRows = (part: FilteredMetricPart) => JSON.stringify({ ...part, buckets: undefined, limit: undefined });
const foldOf = (part: FilteredMetricPart) => JSON.stringify({ bots: part.bots, filters: part.filters, breakdown: part.breakdown, types: part.types, timeoutMs: part.measure.kind === 'visit' ? part.measure.timeoutMs : null });

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
  const ranges = asked.map(({ part }) => {
    const [first, last] = [part.buckets[0]!, part.buckets.at(-1)!];
    return part.measure.kind === 'visit' ? { from: Math.floor(first.start / DAY_MS) * DAY_MS, to: Math.ceil(last.end / DAY_MS) * DAY_MS } : { from: first.start, to: last.end };
  });
  if (!ranges.length) return { results, freshness: { source: 'raw events', through: null, files: 0 } };

  const columns = eventColumnSet();
  // Parts alike but for their periods (a period and its comparison) read one set of rows; visit facts of one fold read one fold.
  const rowSets = new Map<string, { name: string; sql: string; readers: number }>();
  const folds = new Map<string, { name: string; fold: ReturnType<typeof visitFoldSql> }>();
  const setOf = asked.map(({ part }) => {
    const key = sameRows(part);
    let set = rowSets.get(key);
    if (!set) {
      let sql: string;
      if (part.measure.kind === 'visit') {
        const foldKey = foldOf(part);
        let fold = folds.get(foldKey);
        if (!fold) folds.set(foldKey, (fold = { name: `v${folds.size}`, fold: visitFoldSql(`v${folds.size}`, part, part.measure.timeoutMs, columns) }));
        sql = fold.fold.rows(part.measure.fact);
      } else sql = eventRowsSql(part, columns);
      rowSets.set(key, (set = { name: `f${rowSets.size}`, sql, readers: 0 }));
    }
    set.readers++;
    return set.name;
  });
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
  const bots = asked.some(({ part }) => part.bots);
  const raw = await rawEventsOver(lake, tenantId, ranges, { connection, scalars: columns.scalars(), bots });
  if (!raw) return { results, freshness: { source: 'raw events', through: null, files: 0 } };
  // Read by several sets of rows (a ratio's sides), x is materialized: the events are scanned and their JSON read once.
  // One set alone reads it inline, its filters pushed into the scan.
  const sets = [...rowSets.values()];
  const sql = `WITH r AS (${raw.sql}),
      x AS ${sets.length > 1 ? 'MATERIALIZED ' : ''}(SELECT ts_ms, rcv_ms, messageId, type, event, visitor, person, ${bots ? 'isBot' : 'false AS isBot'}${columns.select()} FROM r),
      ${[...folds.values()].map((f) => `${f.fold.ctes},\n      `).join('')}${sets.map((s) => `${s.name} AS ${s.readers > 1 ? 'MATERIALIZED ' : ''}(${s.sql})`).join(',\n      ')},
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
