import { goalConditionSql, lit } from './metric-sql.ts';
import { visitFoldSql } from './filtered-visits.ts';
import type { FilteredMetricPart, RawMeasure } from './filtered-parts.ts';
import { jsonAtSql, scalarColumn, scalarValueSql } from './raw-dimension.ts';

/**
 * The per-event columns of `x` the parts read, each expression once (e0, e1, …); a scalar at a
 * JSON path is the raw read's column for it (computed once per event, or held with a cached day).
 */
export function eventColumnSet() {
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

export const sameRows = (part: FilteredMetricPart) => JSON.stringify({ ...part, buckets: undefined, limit: undefined });
const foldOf = (part: FilteredMetricPart) => JSON.stringify({ bots: part.bots, filters: part.filters, breakdown: part.breakdown, types: part.types, timeoutMs: part.measure.kind === 'visit' ? part.measure.timeoutMs : null });


const DAY_MS = 86_400_000;

/** The events a part reads: its periods, or for a visit measure the whole UTC days around them (a visit never crosses midnight). */
export function readRange(part: FilteredMetricPart): { from: number; to: number } {
  const [first, last] = [part.buckets[0]!, part.buckets.at(-1)!];
  return part.measure.kind === 'visit' ? { from: Math.floor(first.start / DAY_MS) * DAY_MS, to: Math.ceil(last.end / DAY_MS) * DAY_MS } : { from: first.start, to: last.end };
}

/** What each asked part counts, as CTEs over `x`: parts alike but for their periods read one set of rows; visit facts of one fold read one fold. */
export interface PartRows {
  columns: ReturnType<typeof eventColumnSet>;
  /** Per asked part, the name of its set of rows (ts_ms, m, v, t). */
  setOf: string[];
  /** Whether some part counts bot events (x then keeps them, with isBot). */
  bots: boolean;
  /** `x` over the raw read `r`, then the folds and the sets of rows, as CTEs after `WITH r AS (…),`. */
  ctes(): string;
}

export function partRows(parts: readonly FilteredMetricPart[]): PartRows {
  const columns = eventColumnSet();
  const rowSets = new Map<string, { name: string; sql: string; readers: number }>();
  const folds = new Map<string, { name: string; fold: ReturnType<typeof visitFoldSql> }>();
  const setOf = parts.map((part) => {
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
  const bots = parts.some((part) => part.bots);
  return {
    columns,
    setOf,
    bots,
    ctes() {
      // Read by several sets of rows (a ratio's sides), x is materialized: the events are scanned and their JSON read once.
      // One set alone reads it inline, its filters pushed into the scan.
      const sets = [...rowSets.values()];
      return `x AS ${sets.length > 1 ? 'MATERIALIZED ' : ''}(SELECT ts_ms, rcv_ms, messageId, type, event, visitor, person, ${bots ? 'isBot' : 'false AS isBot'}${columns.select()} FROM r),
      ${[...folds.values()].map((f) => `${f.fold.ctes},\n      `).join('')}${sets.map((s) => `${s.name} AS ${s.readers > 1 ? 'MATERIALIZED ' : ''}(${s.sql})`).join(',\n      ')}`;
    },
  };
}
