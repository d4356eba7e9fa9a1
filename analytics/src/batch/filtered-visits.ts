import type { VisitFact } from '../contracts/index.ts';
import { VISIT_AMOUNT } from './cells-sql.ts';
import { lit } from './metric-sql.ts';
import { dimensionSql, type RawDimension, type RawFilter, valueSql, type VisitPage } from './raw-dimension.ts';

const ORDER = 'ORDER BY ts_ms, messageId';

/**
 * CTEs `x` (per event, with rcv_ms) and `f` (ts_ms: the visit's start, m: its fact, v: its
 * breakdown value) for a visit measure over the raw events `r`. The visits are folded as the
 * batch folds a day (metric-sql.ts `visitsSql`) and the speed layer one event at a time
 * (visits.ts): a visitor's events of the metric's types in one UTC day, ordered by (time,
 * messageId), open a new visit after a gap longer than the timeout. Filters and the breakdown
 * read the visit's entry event, its entry or exit page, or (scope `any`) any of its events.
 */
export function visitRowsSql(spec: { filters: readonly RawFilter[]; breakdown?: RawDimension | VisitPage; types?: readonly string[] }, measure: { fact: VisitFact; timeoutMs: number }): string {
  const cuts = [...spec.filters.map((f) => ({ dimension: f.dimension, scope: f.scope ?? 'entry' })), ...(spec.breakdown ? [{ dimension: spec.breakdown, scope: 'entry' as const }] : [])];
  const events = cuts.map((c, i) => ({ ...c, i })).filter((c): c is { dimension: RawDimension; scope: 'entry' | 'any'; i: number } => c.dimension.kind !== 'visit');
  // Per visit: the entry page, the exit page, or the entry event's value (`any`: whether some event had the filter's value).
  const visitColumn = (dimension: RawDimension | VisitPage, i: number) => (dimension.kind === 'visit' ? (dimension.page === 'entry' ? 'entry_page' : 'x_vpath') : `c${i}`);
  const perVisit = events.map(({ scope, i }) =>
    scope === 'any' ? `coalesce(bool_or(y${i} = ${lit(spec.filters[i]!.value)}), false) AS c${i}` : `first(y${i} ${ORDER}) AS c${i}`,
  );
  const where = [
    ...spec.filters.map((f, i) => ((f.scope ?? 'entry') === 'any' && f.dimension.kind !== 'visit' ? `c${i}` : `${visitColumn(f.dimension, i)} = ${lit(f.value)}`)),
    `${VISIT_AMOUNT[measure.fact]} <> 0`,
  ];
  const cut = spec.breakdown ? visitColumn(spec.breakdown, spec.filters.length) : 'NULL::VARCHAR';
  const types = spec.types ? (spec.types.length ? `type IN (${spec.types.map(lit).join(', ')})` : 'false') : 'true';
  const day = `ts_ms // ${DAY}`;
  return `x AS (SELECT visitor, messageId, type, ts_ms, rcv_ms, ${dimensionSql({ kind: 'json', root: 'context', path: ['page', 'path'] })} AS pc,
        ${dimensionSql({ kind: 'json', root: 'properties', path: ['path'] })} AS pp${events.map(({ dimension, i }) => `, ${dimensionSql(dimension)} AS x${i}`).join('')} FROM r),
      s AS (SELECT visitor, messageId, type, ts_ms, ${day} AS day, coalesce(js_scalar(pc), js_scalar(pp)) AS vpath${events.map(({ dimension, i }) => `, ${valueSql(dimension, `x${i}`)} AS y${i}`).join('')},
          CASE WHEN ts_ms - lag(ts_ms) OVER (PARTITION BY visitor, ${day} ${ORDER}) <= ${Math.floor(measure.timeoutMs)} THEN 0 ELSE 1 END AS opens
        FROM x WHERE ${types}),
      n AS (SELECT *, sum(opens) OVER (PARTITION BY visitor, day ${ORDER} ROWS UNBOUNDED PRECEDING) AS visit FROM s),
      w AS (SELECT min(ts_ms) AS ts_ms, max(ts_ms) - min(ts_ms) AS duration_ms, count(*) AS events,
          count(*) FILTER (WHERE type IN ('page', 'screen')) AS pageviews,
          first(vpath ${ORDER}) AS entry_page, last(vpath ${ORDER}) FILTER (WHERE vpath IS NOT NULL) AS x_vpath${perVisit.map((c) => `, ${c}`).join('')}
        FROM n GROUP BY visitor, day, visit),
      f AS (SELECT ts_ms, ${VISIT_AMOUNT[measure.fact]} AS m, ${cut} AS v FROM w WHERE ${where.join(' AND ')})`;
}

const DAY = 86_400_000;
