import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from './metric-sql.ts';
import type { LakeStore } from './lake-store.ts';
import { conditionSql, rawEventsSql, type EventCondition, type RawFreshness } from './raw-events.ts';
import { dimensionSql, valueSql, type RawDimension } from './filtered-metric.ts';

export type { RawFreshness };

export interface GoalReportRow {
  id: string;
  conversions: number;
  /** Distinct people who converted, as `goal_visitors` counts them (userId, else anonymousId). */
  visitors: number;
  /** Converting people over all people of the range (0 when none), as `goal_conversion_rate`. */
  rate: number;
  /** Sum of the converting events' properties.revenue, minor units (cents). */
  revenue: number;
}

export interface FunnelStepRow {
  visitors: number;
  /** Visitors lost since the step before (0 for the first step). */
  dropOff: number;
  /** Of the first step's visitors, the share still here. */
  conversion: number;
}

export interface RetentionCohort {
  /** The cohort's first UTC day (a week starts on Monday). */
  start: string;
  size: number;
  /** Distinct cohort members seen in period 0, 1, 2, …; period 0 is the cohort itself. */
  returning: number[];
}

/** A dimension value the visitors counted must show; all given must hold on one event. */
export interface VisitorFilter {
  dimension: RawDimension;
  value: string;
}

interface Range {
  tenantId: string;
  from: number;
  to: number;
  /**
   * Keeps the visitors with an event in the range on which every filter holds (goals and funnels;
   * `first`: on their first event in the range, for retention), with all their events in the range.
   */
  filters?: readonly VisitorFilter[];
}

const rows = async (connection: DuckDBConnection, sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
const num = (value: unknown) => Number(value ?? 0);

/** Each filter's value extracted once per event as x0, x1, … (`js_scalar` reads a column, not an expression). */
const extractedSql = (filters: readonly VisitorFilter[]) => filters.map((f, i) => `, ${dimensionSql(f.dimension)} AS x${i}`).join('');
const filterSql = (filters: readonly VisitorFilter[]) => filters.map((f, i) => `${valueSql(f.dimension, `x${i}`)} = ${lit(f.value)}`).join(' AND ');

/**
 * The events of the visitors with a matching event in `e` (`first`: whose earliest one matches,
 * ties broken by messageId so the answer does not depend on read order), as table `v`.
 */
async function keepMatchingVisitors(connection: DuckDBConnection, filters: readonly VisitorFilter[], first: boolean): Promise<string> {
  const matching = first
    ? `SELECT visitor FROM (SELECT visitor${extractedSql(filters)}, row_number() OVER (PARTITION BY visitor ORDER BY ts_ms, messageId) AS nth FROM e) WHERE nth = 1 AND ${filterSql(filters)}`
    : `SELECT visitor FROM (SELECT visitor${extractedSql(filters)} FROM e) WHERE ${filterSql(filters)}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE v AS SELECT * FROM e WHERE visitor IN (${matching})`);
  return 'v';
}

type Root = 'properties' | 'context' | 'dimensions';

/**
 * The report's events as table `e`: the per-event columns and, of the JSON roots, only those the
 * report (`roots`) or its filters read, so 30 days of events are not copied with JSON they never look at.
 */
async function withEvents<T>(
  lake: LakeStore,
  range: Range,
  empty: T,
  run: (events: string, freshness: RawFreshness) => Promise<T>,
  connection: DuckDBConnection,
  roots: readonly Root[],
  filterOn: 'any' | 'first' = 'any',
): Promise<{ result: T; freshness: RawFreshness }> {
  // Closed days from the rows the connection holds (raw-day-cache.ts), as filtered metrics read them.
  const raw = await rawEventsSql(lake, range.tenantId, range.from, range.to, { connection });
  if (!raw) return { result: empty, freshness: { source: 'raw events', through: null, files: 0 } };
  try {
    const read = new Set([...roots, ...(range.filters ?? []).flatMap((f) => (f.dimension.kind === 'json' ? [f.dimension.root] : []))]);
    await connection.run(`CREATE OR REPLACE TEMP TABLE e AS SELECT messageId, type, event, visitor, person, ts_ms, rcv_ms, path${[...read].map((r) => `, ${r}`).join('')} FROM (${raw.sql})`);
  } finally {
    await raw.release();
  }
  try {
    const [last] = await rows(connection, 'SELECT max(rcv_ms) AS m FROM e');
    // Freshness is the last receipt read, filtered or not: it says how far the raw store reaches.
    const freshness: RawFreshness = { source: 'raw events', through: last?.m == null ? null : new Date(num(last.m)).toISOString(), files: raw.files };
    const events = range.filters?.length ? await keepMatchingVisitors(connection, range.filters, filterOn === 'first') : 'e';
    return { result: await run(events, freshness), freshness };
  } finally {
    await connection.run('DROP TABLE IF EXISTS e');
    await connection.run('DROP TABLE IF EXISTS v');
  }
}

/**
 * Each goal's conversions, converting people, rate and revenue over [from, to), exact from the raw events.
 * People are counted as the goal metrics count them (userId, else anonymousId). With filters, only the
 * matching visitors' events count, and the rate is over the people among them.
 *
 * @example
 * await goalReport(connection, lake, { tenantId: 'acme', from, to }, [{ id: 'g1', kind: 'page', path: '/thanks' }]);
 */
export async function goalReport(connection: DuckDBConnection, lake: LakeStore, range: Range, goals: ReadonlyArray<{ id: string } & EventCondition>) {
  const empty = goals.map((g) => ({ id: g.id, conversions: 0, visitors: 0, rate: 0, revenue: 0 }));
  return withEvents<GoalReportRow[]>(lake, range, empty, async (e) => {
    if (goals.length === 0) return [];
    const selects = goals.map(
      (g) => `SELECT ${lit(g.id)} AS id, count(*) AS conversions, count(DISTINCT person) AS visitors,
        coalesce(sum(js_minor_units(js_minor_text(json_extract(properties, '$.revenue')), 2)), 0) AS revenue
        FROM ${e} WHERE ${conditionSql(g)}`,
    );
    // People, not visits: the identity goal_visitors and unique_users count, so report and metric agree.
    const [total] = await rows(connection, `SELECT count(DISTINCT person) AS n FROM ${e}`);
    const found = new Map((await rows(connection, selects.join(' UNION ALL '))).map((r) => [String(r.id), r]));
    return goals.map((g) => {
      const r = found.get(g.id);
      const visitors = num(r?.visitors);
      return { id: g.id, conversions: num(r?.conversions), visitors, rate: num(total?.n) === 0 ? 0 : visitors / num(total?.n), revenue: num(r?.revenue) };
    });
  }, connection, ['properties']);
}

/**
 * Visitors through ordered steps: a visitor enters at their first event matching step 1 in the
 * range; each next step is their first matching event strictly after the step before and within
 * `windowMs` of entering. Exact from the raw events; with filters, matching visitors only.
 */
export async function funnelReport(connection: DuckDBConnection, lake: LakeStore, range: Range, steps: readonly EventCondition[], windowMs: number) {
  const empty = steps.map(() => ({ visitors: 0, dropOff: 0, conversion: 0 }));
  return withEvents<FunnelStepRow[]>(lake, range, empty, async (e) => {
    const ctes = steps.map((step, i) =>
      i === 0
        ? `f0 AS (SELECT visitor, min(ts_ms) AS t0, min(ts_ms) AS t FROM ${e} WHERE ${conditionSql(step)} GROUP BY visitor)`
        : `f${i} AS (SELECT p.visitor, p.t0, min(x.ts_ms) AS t FROM f${i - 1} p JOIN ${e} x ON x.visitor = p.visitor AND x.ts_ms > p.t AND x.ts_ms <= p.t0 + ${Math.floor(windowMs)} WHERE ${conditionSql(step, 'x.')} GROUP BY p.visitor, p.t0)`,
    );
    const [counts] = await rows(connection, `WITH ${ctes.join(',\n')} SELECT ${steps.map((_, i) => `(SELECT count(*) FROM f${i}) AS s${i}`).join(', ')}`);
    const at = steps.map((_, i) => num(counts?.[`s${i}`]));
    return at.map((visitors, i) => ({ visitors, dropOff: i === 0 ? 0 : at[i - 1]! - visitors, conversion: at[0] === 0 ? 0 : visitors / at[0]! }));
  }, connection, steps.some((s) => s.kind === 'event' && Object.keys(s.properties ?? {}).length) ? ['properties'] : []);
}

/**
 * Cohorts of visitors by the day (or ISO week) they were first seen in the range, and how many of
 * each came back in each later day (week), exact from the raw events. With filters, a visitor is
 * in a cohort when the filters hold on their first event in the range.
 */
export async function retentionReport(connection: DuckDBConnection, lake: LakeStore, range: Range, period: 'day' | 'week') {
  return withEvents<RetentionCohort[]>(lake, range, [], async (e) => {
    const result = await rows(
      connection,
      `WITH seen AS (SELECT visitor, date_trunc('${period}', make_timestamp(ts_ms * 1000)::DATE) AS p FROM ${e} GROUP BY ALL),
        first AS (SELECT visitor, min(p) AS cohort FROM seen GROUP BY visitor)
      SELECT strftime(cohort, '%Y-%m-%d') AS start, (datediff('day', cohort, p) // ${period === 'week' ? 7 : 1})::INTEGER AS k, count(*) AS n
      FROM seen JOIN first USING (visitor) GROUP BY ALL ORDER BY start, k`,
    );
    const cohorts = new Map<string, RetentionCohort>();
    for (const r of result) {
      const start = String(r.start);
      let cohort = cohorts.get(start);
      if (!cohort) cohorts.set(start, (cohort = { start, size: 0, returning: [] }));
      const k = num(r.k);
      while (cohort.returning.length <= k) cohort.returning.push(0);
      cohort.returning[k] = num(r.n);
      if (k === 0) cohort.size = num(r.n);
    }
    return [...cohorts.values()];
  }, connection, [], 'first');
}
