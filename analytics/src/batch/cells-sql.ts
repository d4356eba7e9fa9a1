import { type BreakdownDimension, type MetricDeclaration, TOPK_CELL_CAPACITY, type VisitFact } from '../contracts/index.ts';
import { EXACT_LIMIT, HLL_PRECISION, sketchHeaderHex } from '../sketches/index.ts';
import { type EventColumns, filterSql, lit, QUARTER_MS } from './metric-sql.ts';

/**
 * The cells of a tenant-day from its per-event columns (metric-sql.ts), as few passes as the
 * declarations allow: every series (total and breakdowns) of the metrics that read the same rows
 * comes out of one GROUP BY GROUPING SETS, unpivoted into one row per metric and cell, instead of
 * one SELECT per metric and series. The relations read:
 *
 *   ev      the period's kept events, one row each, with the derived columns
 *   pre     ev counted per (bucket, type, event, isBot, breakdown values), with each sum's rows and partial sum
 *   visits  one row per visit (visitsSql)
 *   gev     one row per event and goal it completes (goalHitsSql)
 *   idh     each distinct identity with its hash (identitiesSql)
 *   uid     each distinct (metric, dimension, value, bucket, identity) of the unique metrics (uniqueIdsSql)
 */

/** One series of a grouping: a breakdown's declared name and its column (null: the total). */
interface SeriesKey {
  dimension: BreakdownDimension;
  column: string;
}

/** One metric's amount in a grouping: an aggregate (NULL where nothing counted) and the breakdowns it declares. */
interface SeriesAmount {
  metric: string;
  aggregate: string;
  breakdowns: ReadonlySet<string>;
  /** Visit metrics: a zero sum reads as absent. */
  nonZero?: boolean;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The total and one series per key over `from`, grouped per quarter hour in one pass, with one
 * column per metric, unpivoted to (metric, dimension, value, bucket, amount): a metric's column
 * holds NULL for a series it does not declare and where it counted nothing, and UNPIVOT drops NULLs.
 */
function groupedCellsSql(from: string, keys: readonly SeriesKey[], amounts: readonly SeriesAmount[]): string | null {
  if (amounts.length === 0) return null;
  const k = keys.map((key, j) => ({ ...key, alias: `k${j}`, flag: `g${j}` }));
  const sets = ['(bucket)', ...k.map((key) => `(bucket, ${key.alias})`)].join(', ');
  const dimension = k.length ? `CASE ${k.map((key) => `WHEN ${key.flag} = 0 THEN ${lit(key.dimension)}`).join(' ')} END` : 'NULL';
  const value = k.length ? `CASE ${k.map((key) => `WHEN ${key.flag} = 0 THEN ${key.alias}`).join(' ')} END` : 'NULL';
  const columns = amounts.map((a, i) => {
    const allowed = a.breakdowns.size ? `dimension IS NULL OR dimension IN (${[...a.breakdowns].map(lit).join(', ')})` : 'dimension IS NULL';
    return `CASE WHEN (${allowed})${a.nonZero ? ` AND a${i} <> 0` : ''} THEN a${i} END::BIGINT AS ${ident(a.metric)}`;
  });
  return `SELECT metric, dimension, value, bucket, NULL::VARCHAR AS item, amount, NULL::BLOB AS sketch FROM (
      SELECT dimension, value, bucket${columns.map((c) => `, ${c}`).join('')}
      FROM (SELECT ${dimension}::VARCHAR AS dimension, ${value}::VARCHAR AS value, bucket${amounts.map((_, i) => `, a${i}`).join('')}
        FROM (SELECT bucket${k.map((key) => `, ${key.alias}, grouping(${key.alias}) AS ${key.flag}`).join('')}${amounts.map((a, i) => `, ${a.aggregate} AS a${i}`).join('')}
          FROM (SELECT *${k.map((key) => `, ${key.column} AS ${key.alias}`).join('')} FROM ${from})
          GROUP BY GROUPING SETS (${sets})))
      WHERE dimension IS NULL OR value IS NOT NULL)
    UNPIVOT (amount FOR metric IN (${amounts.map((a) => ident(a.metric)).join(', ')}))`;
}

/** The distinct keys of the metrics' breakdowns (those `exclude` does not take), each with its column. */
function keysOf(metrics: readonly MetricDeclaration[], column: (d: BreakdownDimension) => string | null): SeriesKey[] {
  const out = new Map<BreakdownDimension, SeriesKey>();
  for (const m of metrics) {
    for (const d of m.breakdowns) {
      const c = column(d);
      if (c !== null && !out.has(d)) out.set(d, { dimension: d, column: c });
    }
  }
  return [...out.values()];
}

const additive = (metrics: readonly MetricDeclaration[]) => metrics.map((m, i) => [m, i] as const).filter(([m]) => !m.visit && !m.goal && (m.measure.kind === 'count' || m.measure.kind === 'sum'));

/**
 * The events of `ev` counted per combination of everything a count or sum cell groups or filters
 * by (bucket, type, event, isBot, breakdown values), with each sum's rows and partial sum: the
 * count and sum cells are then grouped over these instead of over the events.
 * Null when no metric counts or sums.
 */
export function preAggregateSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  const counted = additive(metrics);
  if (counted.length === 0) return null;
  const dimensions = [...new Set(counted.flatMap(([m]) => m.breakdowns.map((d) => columns.dimension(d))))].filter((d) => !['type', 'coalesce(event, type)'].includes(d));
  const sums = counted.filter(([m]) => m.measure.kind === 'sum').flatMap(([, i]) => [`count(${columns.measure(i)}) AS n${i}`, `sum(${columns.measure(i)}) AS s${i}`]);
  return `SELECT bucket, type, event, isBot${dimensions.map((d) => `, ${d}`).join('')}, count(*) AS n${sums.map((x) => `, ${x}`).join('')} FROM ev GROUP BY ALL`;
}

/** Every count and sum cell but the goal metrics', from `pre` in one grouping. */
function additiveCellsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  const counted = additive(metrics);
  const amounts = counted.map(([m, i]): SeriesAmount => ({
    metric: m.name,
    breakdowns: new Set(m.breakdowns),
    // A group exists where some event counted (a sum: where some value was summed).
    aggregate: m.measure.kind === 'sum' ? `sum(s${i}) FILTER (WHERE ${filterSql(m.filter)} AND n${i} > 0)` : `sum(n) FILTER (WHERE ${filterSql(m.filter)})`,
  }));
  return groupedCellsSql('pre', keysOf(counted.map(([m]) => m), columns.dimension), amounts);
}

/**
 * The cells of every declared metric over the relations above, in any order (the COPY sorts):
 * counts and sums add, uniques give the exact distinct count and the sketch (hashes, or registers
 * when many), top-K gives its items, visit metrics add their visits' facts.
 */
export function cellsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string {
  const selects: string[] = [];
  const push = (sql: string | null) => {
    if (sql) selects.push(sql);
  };
  push(additiveCellsSql(metrics, columns));
  push(visitCellsSql(metrics, columns));
  push(goalCellsSql(metrics, columns));
  if (metrics.some((m) => m.measure.kind === 'unique')) push(sketchCellsSql());
  metrics.forEach((metric, i) => {
    if (metric.measure.kind !== 'topk' || metric.visit) return;
    const series = metric.goal ? goalSeries(metric, columns) : [null, ...metric.breakdowns.map((d) => ({ dimension: d, value: columns.dimension(d), from: 'ev' }))];
    for (const s of series) {
      const where = [filterSql(metric.filter), `(${columns.measure(i)}) IS NOT NULL`, ...(s ? [`${s.value} IS NOT NULL`] : [])].join(' AND ');
      const head = `${lit(metric.name)} AS metric, ${s ? lit(s.dimension) : 'NULL'}::VARCHAR AS dimension`;
      selects.push(topkSelect(head, s ? s.value : 'NULL::VARCHAR', columns.measure(i), where, s?.from ?? (metric.goal ? '(SELECT * FROM ev WHERE gany)' : 'ev')));
    }
  });
  if (selects.length === 0) return `SELECT NULL::VARCHAR AS metric, NULL::VARCHAR AS dimension, NULL::VARCHAR AS value, NULL::BIGINT AS bucket, NULL::VARCHAR AS item, NULL::BIGINT AS amount, NULL::BLOB AS sketch WHERE false`;
  return selects.map((s) => `(${s})`).join('\nUNION ALL BY NAME\n');
}

/** A goal metric's breakdowns: `goal` over the goal hits, the others over the events completing any goal. */
function goalSeries(metric: MetricDeclaration, columns: EventColumns) {
  return [null, ...metric.breakdowns.map((d) => ({ dimension: d, value: d === 'goal' ? 'goal' : columns.dimension(d), from: d === 'goal' ? 'gev' : '(SELECT * FROM ev WHERE gany)' }))];
}

/**
 * The goal hits of `ev`: one row per event and goal it completes, with the goal's id in `goal`.
 * Null when no metric is a goal metric or the tenant has no goals.
 */
export function goalHitsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  if (!metrics.some((m) => m.goal) || columns.goals.length === 0) return null;
  return columns.goals.map((g) => `SELECT *, ${lit(g.id)} AS goal FROM ev WHERE ${g.column}`).join(' UNION ALL ');
}

/**
 * The count and sum goal metrics' cells, as `goalContributions` makes them: the total and every
 * breakdown but `goal` over the events completing any goal (each once, one grouping), the `goal`
 * breakdown over the goal hits `gev` (an event once per goal it completes). None when the tenant has no goals.
 */
function goalCellsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  if (columns.goals.length === 0) return null;
  const goal = metrics.map((m, i) => [m, i] as const).filter(([m]) => m.goal && (m.measure.kind === 'count' || m.measure.kind === 'sum'));
  if (goal.length === 0) return null;
  const aggregate = (m: MetricDeclaration, i: number) =>
    m.measure.kind === 'sum' ? `sum(${columns.measure(i)}) FILTER (WHERE ${filterSql(m.filter)} AND ${columns.measure(i)} IS NOT NULL)` : `nullif(count(*) FILTER (WHERE ${filterSql(m.filter)}), 0)`;
  const amounts = goal.map(([m, i]): SeriesAmount => ({ metric: m.name, breakdowns: new Set(m.breakdowns.filter((d) => d !== 'goal')), aggregate: aggregate(m, i) }));
  const keys = keysOf(goal.map(([m]) => m), (d) => (d === 'goal' ? null : columns.dimension(d)));
  const byGoal = goal.filter(([m]) => m.breakdowns.includes('goal'));
  const perGoal = byGoal.length
    ? `SELECT metric, dimension, value, bucket, NULL::VARCHAR AS item, amount, NULL::BLOB AS sketch FROM (
        SELECT 'goal' AS dimension, goal AS value, bucket${byGoal.map(([m, i]) => `, ${aggregate(m, i)}::BIGINT AS ${ident(m.name)}`).join('')} FROM gev GROUP BY ALL)
      UNPIVOT (amount FOR metric IN (${byGoal.map(([m]) => ident(m.name)).join(', ')}))`
    : null;
  return [groupedCellsSql('(SELECT * FROM ev WHERE gany)', keys, amounts), perGoal]
    .filter((s): s is string => s !== null)
    .map((s) => `(${s})`)
    .join(' UNION ALL BY NAME ');
}

/** Top-K: exact counts; past the cell capacity the tail is one row with a NULL item (`other`). */
function topkSelect(head: string, value: string, expr: string, where: string, from: string): string {
  return `WITH c AS (SELECT ${value} AS value, bucket, ${expr} AS item, count(*) AS n FROM ${from} WHERE ${where} GROUP BY ALL),
      r AS (SELECT *, row_number() OVER (PARTITION BY value, bucket ORDER BY n DESC, item) AS rn FROM c)
    SELECT ${head}, value, bucket, CASE WHEN rn <= ${TOPK_CELL_CAPACITY} THEN item END AS item, sum(n)::BIGINT AS amount, NULL::BLOB AS sketch
    FROM r GROUP BY value, bucket, CASE WHEN rn <= ${TOPK_CELL_CAPACITY} THEN item END`;
}

/**
 * The distinct identities of each unique metric per cell: (metric, dimension, value, bucket, id),
 * every series of a metric from one grouping over the distinct combinations of its events (a
 * person's events of a quarter hour mostly share their breakdown values). Null when no metric is unique.
 */
export function uniqueIdsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  const selects: string[] = [];
  metrics.forEach((m, i) => {
    if (m.measure.kind !== 'unique' || m.visit) return;
    const id = columns.measure(i);
    if (m.goal) {
      if (columns.goals.length === 0) return;
      for (const s of goalSeries(m, columns)) {
        const where = [filterSql(m.filter), `(${id}) IS NOT NULL`, ...(s ? [`${s.value} IS NOT NULL`] : [])].join(' AND ');
        selects.push(`SELECT DISTINCT ${lit(m.name)} AS metric, ${s ? lit(s.dimension) : 'NULL'}::VARCHAR AS dimension, ${s ? s.value : 'NULL'}::VARCHAR AS value, bucket, ${id} AS id FROM ${s?.from ?? '(SELECT * FROM ev WHERE gany)'} WHERE ${where}`);
      }
      return;
    }
    const k = keysOf([m], columns.dimension).map((key, j) => ({ ...key, alias: `k${j}`, flag: `g${j}` }));
    const dimension = k.length ? `CASE ${k.map((key) => `WHEN ${key.flag} = 0 THEN ${lit(key.dimension)}`).join(' ')} END` : 'NULL';
    const value = k.length ? `CASE ${k.map((key) => `WHEN ${key.flag} = 0 THEN ${key.alias}`).join(' ')} END` : 'NULL';
    selects.push(`SELECT ${lit(m.name)} AS metric, dimension, value, bucket, id FROM (
        SELECT ${dimension}::VARCHAR AS dimension, ${value}::VARCHAR AS value, bucket, id
        FROM (SELECT bucket, id${k.map((key) => `, ${key.alias}, grouping(${key.alias}) AS ${key.flag}`).join('')}
          FROM (SELECT DISTINCT bucket, ${id} AS id${k.map((key) => `, ${key.column} AS ${key.alias}`).join('')} FROM ev WHERE ${filterSql(m.filter)} AND (${id}) IS NOT NULL)
          GROUP BY GROUPING SETS (${['(bucket, id)', ...k.map((key) => `(bucket, ${key.alias}, id)`)].join(', ')})))
      WHERE dimension IS NULL OR value IS NOT NULL`);
  });
  return selects.length ? selects.join('\nUNION ALL\n') : null;
}

/**
 * Every unique cell from `uid` and the hashed identities `idh`: the exact distinct count and the
 * sketch in format version 2: up to EXACT_LIMIT distinct hashes the sorted hashes, past it the max
 * rank per register as sorted [index u16, rank u8] triples.
 */
function sketchCellsSql(): string {
  const cell = 'metric, dimension, value, bucket';
  return `WITH hs AS (SELECT *, count(*) OVER (PARTITION BY ${cell}) AS n FROM (SELECT DISTINCT uid.metric, uid.dimension, uid.value, uid.bucket, idh.hx, idh.ix, idh.rk FROM uid JOIN idh ON uid.id = idh.id)),
      r AS (SELECT ${cell}, from_hex('${sketchHeaderHex('exact', HLL_PRECISION)}' || string_agg(hx, '' ORDER BY hx)) AS sketch FROM hs WHERE n <= ${EXACT_LIMIT} GROUP BY ALL
        UNION ALL
        SELECT ${cell}, from_hex('${sketchHeaderHex('triples', HLL_PRECISION)}' || string_agg(printf('%04x%02x', ix, rk), '' ORDER BY ix)) AS sketch
        FROM (SELECT ${cell}, ix, max(rk) AS rk FROM hs WHERE n > ${EXACT_LIMIT} GROUP BY ALL) GROUP BY ALL)
    SELECT c.metric, c.dimension, c.value, c.bucket, NULL::VARCHAR AS item, c.amount, r.sketch
    FROM (SELECT ${cell}, count(*)::BIGINT AS amount FROM uid GROUP BY ALL) c
    JOIN r ON c.metric = r.metric AND c.dimension IS NOT DISTINCT FROM r.dimension AND c.value IS NOT DISTINCT FROM r.value AND c.bucket = r.bucket`;
}

/**
 * The visits of the events in `ev` (the period's, so a visit never crosses the UTC day), one row
 * per visit: a visitor's events ordered by (time, messageId) open a new visit after a gap longer
 * than the timeout, as `foldVisit` does one event at a time. Each row holds its start bucket, the
 * facts the visit metrics add up, the entry event's breakdown values (`e_<column>`) and the exit
 * page (`x_vpath`). The two window passes sort only the narrow columns they need; the entry
 * event's values are read back for the one opening row of each visit. Null when no metric is a visit metric.
 */
export function visitsSql(metrics: readonly MetricDeclaration[], columns: EventColumns, timeoutMs: number): string | null {
  const declared = metrics.filter((m) => m.visit);
  const first = declared[0];
  if (!first) return null;
  const entry = [...visitEntryColumns(metrics, columns)];
  const vpath = columns.dimension('visit.exit_page');
  return `WITH o AS (
      SELECT rowid AS rid, vis, ts_ms, type IN ('page', 'screen') AS pv, ${vpath} AS vpath, row_number() OVER w AS rn,
        CASE WHEN ts_ms - lag(ts_ms) OVER w <= ${Math.floor(timeoutMs)} THEN 0 ELSE 1 END AS opens
      FROM ev WHERE ${filterSql(first.filter)} AND vis IS NOT NULL
      WINDOW w AS (PARTITION BY vis ORDER BY ts_ms, messageId)),
    n AS (SELECT *, sum(opens) OVER (PARTITION BY vis ORDER BY rn ROWS UNBOUNDED PRECEDING) AS visit FROM o),
    v AS (SELECT min(ts_ms) AS t0, max(ts_ms) AS t1, count(*) AS events, count(*) FILTER (WHERE pv) AS pageviews,
        arg_max(vpath, rn) FILTER (WHERE vpath IS NOT NULL) AS x_vpath, max(rid) FILTER (WHERE opens = 1) AS entry
      FROM n GROUP BY vis, visit)
    SELECT (t0 // ${QUARTER_MS}) * ${QUARTER_MS} AS bucket, t1 - t0 AS duration_ms, events, pageviews, x_vpath${entry.map(([expr, alias]) => `, ${expr} AS e_${alias}`).join('')}
    FROM v JOIN ev ON ev.rowid = v.entry`;
}

/** Each entry breakdown's per-event expression and the alias its visit column is named from. */
function visitEntryColumns(metrics: readonly MetricDeclaration[], columns: EventColumns): Map<string, string> {
  const exprs = metrics.filter((m) => m.visit).flatMap((m) => m.breakdowns.filter((d) => d !== 'visit.exit_page').map((d) => columns.dimension(d)));
  return new Map([...new Set(exprs)].map((expr, j) => [expr, `k${j}`]));
}

/** What one visit adds to each visit fact: shared with the visits counted per question, so both add the same. */
export const VISIT_AMOUNT: Record<VisitFact, string> = {
  visits: '1',
  bounces: 'CASE WHEN events = 1 THEN 1 ELSE 0 END',
  duration_ms: 'duration_ms',
  pageviews: 'pageviews',
  exits: 'CASE WHEN x_vpath IS NULL THEN 0 ELSE 1 END',
};

/** Every visit metric's cells over the `visits` rows in one grouping: totals, then each breakdown of the entry (or exit) values; zeros read as absent. */
function visitCellsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  const entry = visitEntryColumns(metrics, columns);
  const declared = metrics.filter((m) => m.visit);
  const keys = keysOf(declared, (d) => (d === 'visit.exit_page' ? 'x_vpath' : `e_${entry.get(columns.dimension(d))}`));
  return groupedCellsSql(
    'visits',
    keys,
    declared.map((m) => ({ metric: m.name, breakdowns: new Set(m.breakdowns), aggregate: `sum(${VISIT_AMOUNT[m.visit!]})`, nonZero: true })),
  );
}

/** Distinct identities of every unique metric, hashed once each. */
export function identitiesSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  const ids = [...new Set(metrics.flatMap((m, i) => (m.measure.kind === 'unique' ? [columns.measure(i)] : [])))];
  if (ids.length === 0) return null;
  const sources = ids.map((id) => `SELECT ${id} AS id FROM ev WHERE ${id} IS NOT NULL`);
  return `SELECT id, hx, hll_index(h) AS ix, hll_rank(h) AS rk FROM (SELECT id, hx, ('0x' || hx)::UBIGINT AS h FROM (SELECT id, hash64_hex(id) AS hx FROM (${sources.join(' UNION ')})))`;
}

/** Rejected values per metric (present, matching, but not a decimal): one column total. */
export function rejectionsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string {
  const terms = metrics.flatMap((m, i) => {
    const rejected = columns.rejected(i);
    // A goal metric reads values only of the events completing a goal.
    if (m.goal && columns.goals.length === 0) return [];
    return rejected ? [`count(*) FILTER (WHERE ${filterSql(m.filter)} AND ${rejected}${m.goal ? ' AND gany' : ''})`] : [];
  });
  return `SELECT ${terms.length ? terms.join(' + ') : '0'} AS rejected FROM ev`;
}
