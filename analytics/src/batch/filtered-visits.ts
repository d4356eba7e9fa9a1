import type { VisitFact } from '../contracts/index.ts';
import { VISIT_AMOUNT } from './cells-sql.ts';
import { lit } from './metric-sql.ts';
import { type RawDimension, type RawFilter, scalarValueSql, type VisitPage } from './raw-dimension.ts';

const ORDER = 'ORDER BY ts_ms, messageId';

/** What a visit fold keeps and cuts by; visit measures alike in these share one fold. */
export interface VisitFoldSpec {
  filters: readonly RawFilter[];
  breakdown?: RawDimension | VisitPage | undefined;
  types?: readonly string[] | undefined;
}

/**
 * The visits of the per-event rows `x` (visitor, messageId, type, ts_ms and the values
 * `columns` names there), as CTEs `s_<name>`, `n_<name>` and `w_<name>` (one row per visit), and
 * per fact the rows (ts_ms: the visit's start, m: its fact, v: its breakdown value, t) a measure
 * counts. The visits are folded as the batch folds a day (metric-sql.ts `visitsSql`) and the
 * speed layer one event at a time (visits.ts): a visitor's events of the metric's types in one UTC
 * day, ordered by (time, messageId), open a new visit after a gap longer than the timeout. Filters
 * and the breakdown read the visit's entry event, its entry or exit page, or (scope `any`) any of
 * its events. Every visit fact of one fold comes from the same `w_<name>`: a ratio's two sides pay
 * for one window pass.
 */
export function visitFoldSql(
  name: string,
  spec: VisitFoldSpec,
  timeoutMs: number,
  columns: { column: (expression: string) => string; scalar: (path: string) => string },
): { ctes: string; rows(fact: VisitFact): string } {
  const cuts = [...spec.filters.map((f) => ({ dimension: f.dimension, scope: f.scope ?? 'entry' })), ...(spec.breakdown ? [{ dimension: spec.breakdown, scope: 'entry' as const }] : [])];
  const events = cuts.map((c, i) => ({ ...c, i })).filter((c): c is { dimension: RawDimension; scope: 'entry' | 'any'; i: number } => c.dimension.kind !== 'visit');
  // Per visit: the entry page, the exit page, or the entry event's value (`any`: whether some event had the filter's value).
  const visitColumn = (dimension: RawDimension | VisitPage, i: number) => (dimension.kind === 'visit' ? (dimension.page === 'entry' ? 'entry_page' : 'x_vpath') : `c${i}`);
  const perVisit = events.map(({ scope, i }) =>
    scope === 'any' ? `coalesce(bool_or(y${i} = ${lit(spec.filters[i]!.value)}), false) AS c${i}` : `first(y${i} ${ORDER}) AS c${i}`,
  );
  const where = spec.filters.map((f, i) => ((f.scope ?? 'entry') === 'any' && f.dimension.kind !== 'visit' ? `c${i}` : `${visitColumn(f.dimension, i)} = ${lit(f.value)}`));
  const cut = spec.breakdown ? visitColumn(spec.breakdown, spec.filters.length) : 'NULL::VARCHAR';
  // Visits are folded from the human events, as the batch folds them.
  const types = `isBot = false AND ${spec.types ? (spec.types.length ? `type IN (${spec.types.map(lit).join(', ')})` : 'false') : 'true'}`;
  const day = `ts_ms // ${DAY}`;
  const { column, scalar } = columns;
  // A visit kept by an event filter has an event of its visitor's day with that value (the entry event for `entry`):
  // only those visitor-days are folded, so the window pass sorts the events a filter can keep, not every event.
  const value = (f: RawFilter & { dimension: RawDimension }) => `${scalarValueSql(f.dimension, column, scalar)} = ${lit(f.value)}`;
  const onEvents = spec.filters.filter((f): f is RawFilter & { dimension: RawDimension } => f.dimension.kind !== 'visit');
  const entry = onEvents.filter((f) => (f.scope ?? 'entry') === 'entry');
  const held = [...(entry.length ? [`bool_or(${entry.map(value).join(' AND ')})`] : []), ...onEvents.filter((f) => f.scope === 'any').map((f) => `bool_or(${value(f)})`)];
  const kept = held.length
    ? ` SEMI JOIN (SELECT visitor AS kv, ${day} AS kd FROM x WHERE ${types} GROUP BY ALL HAVING ${held.join(' AND ')}) k ON x.visitor = k.kv AND x.${day} = k.kd`
    : '';
  const ctes = `s_${name} AS (SELECT visitor, messageId, type, ts_ms, ${day} AS day, coalesce(${scalar('context.page.path')}, ${scalar('properties.path')}) AS vpath${events.map(({ dimension, i }) => `, ${scalarValueSql(dimension, column, scalar)} AS y${i}`).join('')},
          CASE WHEN ts_ms - lag(ts_ms) OVER (PARTITION BY visitor, ${day} ${ORDER}) <= ${Math.floor(timeoutMs)} THEN 0 ELSE 1 END AS opens
        FROM x${kept} WHERE ${types}),
      n_${name} AS (SELECT *, sum(opens) OVER (PARTITION BY visitor, day ${ORDER} ROWS UNBOUNDED PRECEDING) AS visit FROM s_${name}),
      w_${name} AS MATERIALIZED (SELECT min(ts_ms) AS ts_ms, max(ts_ms) - min(ts_ms) AS duration_ms, count(*) AS events,
          count(*) FILTER (WHERE type IN ('page', 'screen')) AS pageviews,
          first(vpath ${ORDER}) AS entry_page, last(vpath ${ORDER}) FILTER (WHERE vpath IS NOT NULL) AS x_vpath${perVisit.map((c) => `, ${c}`).join('')}
        FROM n_${name} GROUP BY visitor, day, visit)`;
  // A visit adding nothing to a fact (not a bounce, no page views) is no row: it names no breakdown value.
  const rows = (fact: VisitFact) =>
    `SELECT ts_ms, m, v, true AS t FROM (SELECT ts_ms, nullif(${VISIT_AMOUNT[fact]}, 0) AS m, ${cut} AS v FROM w_${name}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}) WHERE m IS NOT NULL`;
  return { ctes, rows };
}

const DAY = 86_400_000;
