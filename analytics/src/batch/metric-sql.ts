import { breakdownPath, type BreakdownDimension, type GoalDefinition, type MetricDeclaration, type MetricFilter, RESOLUTION_MS } from '../contracts/index.ts';
import { HLL_PRECISION } from '../sketches/index.ts';

/**
 * DuckDB SQL derived from the metric declarations: the batch's translation of `contributions()`.
 * Every rule of the TypeScript function has its SQL twin here (filter, measure, breakdown value,
 * `scalar`, `toMinorUnits`, `hash64`/`hllPoint`), and the tests hold the two to equal output, so
 * a new declaration changes both layers with no other code.
 */

export const QUARTER_MS = RESOLUTION_MS.quarter;

/** The event fields every row has, read with an explicit type so a malformed file fails loudly. */
const SCALAR_COLUMNS: ReadonlyArray<[string, string]> = [
  ['tenantId', 'VARCHAR'],
  ['messageId', 'VARCHAR'],
  ['type', 'VARCHAR'],
  ['event', 'VARCHAR'],
  ['userId', 'VARCHAR'],
  ['anonymousId', 'VARCHAR'],
  ['timestamp', 'VARCHAR'],
  ['receivedAt', 'VARCHAR'],
  ['isBot', 'BOOLEAN'],
];

export const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

const JSON_ROOTS = new Set(['properties', 'context', 'traits', 'dimensions']);
const SAFE = 9007199254740991n;
// The characters String.prototype.trim removes, literally and as a regular-expression class.
const JS_SPACE = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const JS_SPACE_CLASS = '\\t\\n\\x0B\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
const Q = 64 - HLL_PRECISION;

/** Macros reproducing the JavaScript semantics `contributions()` relies on. Run once per connection. */
export const MACROS_SQL = `
-- Number.prototype.toString for a finite double, from DuckDB's shortest round-trip digits
-- (lambdas bind intermediate values once: macros are inlined, so a repeated argument is recomputed).
CREATE OR REPLACE MACRO js_num_out(sgn, ds, n) AS CASE WHEN ds = '' THEN '0' ELSE sgn || CASE
  WHEN length(ds) <= n AND n <= 21 THEN ds || repeat('0', (n - length(ds))::INTEGER)
  WHEN 0 < n AND n <= 21 THEN substr(ds, 1, n) || '.' || substr(ds, n + 1)
  WHEN -6 < n AND n <= 0 THEN '0.' || repeat('0', (-n)::INTEGER) || ds
  ELSE substr(ds, 1, 1) || CASE WHEN length(ds) > 1 THEN '.' || substr(ds, 2) ELSE '' END || 'e' || CASE WHEN n - 1 >= 0 THEN '+' ELSE '-' END || abs(n - 1)::VARCHAR
END END;
CREATE OR REPLACE MACRO js_number(d) AS list_transform([regexp_extract(d::DOUBLE::VARCHAR, '^(-?)(\\d+)(?:\\.(\\d*))?(?:e([+-]?\\d+))?$', ['sgn', 'i', 'f', 'e'])], lambda p:
  list_transform([struct_pack(sgn := p.sgn, raw := p.i || p.f, lead := length(p.i || p.f) - length(ltrim(p.i || p.f, '0')), n := length(p.i) + coalesce(try_cast(nullif(p.e, '') AS INTEGER), 0))], lambda q:
    list_transform([struct_pack(sgn := q.sgn, ds := rtrim(ltrim(q.raw, '0'), '0'), n := q.n - q.lead)], lambda r: js_num_out(r.sgn, r.ds, r.n))[1])[1])[1];
-- String(number) from a JSON number's text: an integer or plain decimal of at most 15 digits (not
-- -0, not below 1e-5) is already its own shortest round trip, so only the rest pay for js_number.
CREATE OR REPLACE MACRO js_num_text(t) AS CASE
  WHEN regexp_full_match(t, '-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?') AND t <> '-0' AND NOT starts_with(ltrim(t, '-'), '0.00000')
    AND strlen(t) - CASE WHEN starts_with(t, '-') THEN 1 ELSE 0 END - CASE WHEN contains(t, '.') THEN 1 ELSE 0 END <= 15 THEN t
  ELSE js_number(t::DOUBLE) END;
-- A JSON string's value: the text between the quotes unless it holds an escape.
CREATE OR REPLACE MACRO js_string(t) AS CASE WHEN contains(t, '\\') THEN t::JSON ->> '$' ELSE t[2:-2] END;
-- metrics.ts scalar(): non-empty strings (first 200 characters), finite numbers, booleans. j must be
-- a column. Told apart by the first character of the JSON text: one JSON parse less per value.
CREATE OR REPLACE MACRO js_scalar(j) AS CASE
  WHEN j IS NULL THEN NULL
  WHEN starts_with(j::VARCHAR, '"') THEN nullif(CASE WHEN strlen(j::VARCHAR) > 202 THEN left(js_string(j::VARCHAR), 200) ELSE js_string(j::VARCHAR) END, '')
  WHEN j::VARCHAR IN ('true', 'false') THEN j::VARCHAR
  WHEN j::VARCHAR = 'null' OR starts_with(j::VARCHAR, '{') OR starts_with(j::VARCHAR, '[') THEN NULL
  ELSE js_num_text(j::VARCHAR) END;
-- String.prototype.trim's white space; the regular expression runs only when an end is one of them.
CREATE OR REPLACE MACRO js_trim(s) AS CASE WHEN contains(${lit(JS_SPACE)}, s[1]) OR contains(${lit(JS_SPACE)}, s[-1])
  THEN regexp_replace(s, '^[${JS_SPACE_CLASS}]+|[${JS_SPACE_CLASS}]+$', '', 'g') ELSE s END;
-- toMinorUnits' input text: the number's string, the trimmed string, '' for anything else; NULL when absent.
CREATE OR REPLACE MACRO js_minor_text(j) AS CASE
  WHEN j IS NULL OR j::VARCHAR = 'null' THEN NULL
  WHEN starts_with(j::VARCHAR, '"') THEN js_trim(js_string(j::VARCHAR))
  WHEN j::VARCHAR IN ('true', 'false') OR starts_with(j::VARCHAR, '{') OR starts_with(j::VARCHAR, '[') THEN ''
  ELSE js_num_text(j::VARCHAR) END;
-- toMinorUnits(): an exact integer of 10^-d units, NULL when not representable (a rejection).
CREATE OR REPLACE MACRO js_minor_digits(t, d) AS try_cast(split_part(ltrim(t, '-'), '.', 1) || rpad(rtrim(split_part(t, '.', 2), '0'), d, '0') AS HUGEINT) * CASE WHEN starts_with(t, '-') THEN -1 ELSE 1 END;
CREATE OR REPLACE MACRO js_minor_units(t, d) AS CASE
  WHEN regexp_full_match(t, '-?[0-9]+(\\.[0-9]+)?') AND length(rtrim(split_part(t, '.', 2), '0')) <= d AND abs(js_minor_digits(t, d)) <= ${SAFE}
  THEN js_minor_digits(t, d) END;
-- hash64 (xxHash64 through the registered xxh64_hex; 16 lowercase hex digits, whose text order is the numeric order)
-- and hllPoint: register index = top ${HLL_PRECISION} bits, rank = 1 + leading zeros of the other ${Q}.
CREATE OR REPLACE MACRO hash64_hex(s) AS xxh64_hex(s);
CREATE OR REPLACE MACRO hash64(s) AS ('0x' || hash64_hex(s))::UBIGINT;
CREATE OR REPLACE MACRO hll_index(h) AS (h >> ${Q})::INTEGER;
CREATE OR REPLACE MACRO hll_rank(h) AS list_transform([h & ${(1n << BigInt(Q)) - 1n}::UBIGINT], lambda rest: CASE WHEN rest = 0 THEN ${Q + 1} ELSE ${Q + 1} - length(bin(rest)) END)[1]::INTEGER;
`;

/**
 * The per-event columns the metrics need, derived in one pass over the raw rows. The JSON roots
 * are read as STRUCTs of only the first-level keys some path starts with (each a JSON value), so
 * DuckDB parses every line once and keeps a few small JSON values instead of re-serialising
 * whole `properties` / `context` objects and parsing them again per path; deeper levels are
 * extracted from those small values.
 */
export interface EventColumns {
  /** The `columns` of read_json: the scalar fields plus one STRUCT per JSON root in use. */
  schema: string;
  /** An empty relation with the columns read_json gives for `schema` (a period without files). */
  emptyRaw: string;
  /** Per JSON root in use, the STRUCT of its first-level keys that `schema` reads. */
  roots: Record<string, string>;
  /** SELECT list over the raw rows: one JSON column per path. */
  leaves: string[];
  /** SELECT list over the leaves: each path's value as `scalar()` or `toMinorUnits()` reads it, once. */
  values: string[];
  /** SELECT list over the values: each summed value in minor units, once per (path, decimals). */
  units: string[];
  /** SELECT list over the units: breakdown values, measured values, rejection flags, each expression once. */
  derived: string[];
  /** The names `derived` defines, in order: the per-event columns the cells are computed from. */
  names: string[];
  /** Per metric: its measured value in `ev` (NULL = no contribution). */
  measure: (metricIndex: number) => string;
  /** Per metric with a sum: true when the value was present but not a decimal. */
  rejected: (metricIndex: number) => string | null;
  dimension: (dimension: BreakdownDimension) => string;
  /** Per goal: its id and the boolean column true for the events completing it (`gany`: any of them). */
  goals: Array<{ id: string; column: string }>;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function eventColumns(metrics: readonly MetricDeclaration[], goals: readonly GoalDefinition[] = []): EventColumns {
  const derived: string[] = [];
  const names: string[] = [];
  // An expression two metrics share (the same identity, the same path) is one column: `define`
  // answers the name it already has. Columns of one SELECT list cannot read each other without
  // DuckDB inlining (recomputing) them, hence the separate `units` list.
  const definedAs = new Map<string, string>();
  const define = (expr: string, name: string): string => {
    const found = definedAs.get(expr);
    if (found) return found;
    definedAs.set(expr, name);
    derived.push(`${expr} AS ${name}`);
    names.push(name);
    return name;
  };
  const units: string[] = [];
  const unitsOf = new Map<string, string>();
  const unitColumn = (text: string, decimals: number): string => {
    const key = `${text} ${decimals}`;
    let column = unitsOf.get(key);
    if (!column) {
      column = `u${unitsOf.size}`;
      unitsOf.set(key, column);
      units.push(`js_minor_units(${text}, ${decimals}) AS ${column}`);
    }
    return column;
  };
  /** Per metric: the column holding its measured value, and its rejection flag. */
  const measures = new Map<number, string>();
  const rejections = new Map<number, string>();
  // root → first-level keys read from it; path → leaf column
  const roots = new Map<string, Set<string>>();
  const leaves: string[] = [];
  const leafOf = new Map<string, string>();
  const pathColumn = (path: string): string => {
    const [root, key, ...rest] = path.split('.');
    if (!root || !JSON_ROOTS.has(root) || key === undefined) {
      throw new Error(`The batch layer reads paths under ${[...JSON_ROOTS].join(', ')}; cannot derive SQL for "${path}"`);
    }
    const found = leafOf.get(path);
    if (found) return found;
    const keys = roots.get(root) ?? new Set<string>();
    roots.set(root, keys.add(key));
    const column = `j${leafOf.size}`;
    leafOf.set(path, column);
    const first = `${root}.${ident(key)}`;
    leaves.push(`${rest.length ? `json_extract(${first}, ${lit('$' + rest.map((k) => `."${k.replaceAll('"', '\\"')}"`).join(''))})` : first} AS ${column}`);
    return column;
  };
  // Each value is worked out only for the events some metric reading it keeps (its filter), since
  // every cell applies its metric's filter again: a page path is not parsed for a track event.
  const valueOf = new Map<string, { column: string; expr: string; filters: Set<string> }>();
  let using: string | null = null;
  const value = (fn: 'js_scalar' | 'js_minor_text', path: string, prefix: string): string => {
    const key = `${fn} ${path}`;
    let found = valueOf.get(key);
    if (!found) valueOf.set(key, (found = { column: `${prefix}${valueOf.size}`, expr: `${fn}(${pathColumn(path)})`, filters: new Set() }));
    if (using !== null) found.filters.add(using);
    return found.column;
  };
  const scalarOf = (path: string) => value('js_scalar', path, 's');
  const dims = new Map<string, string>();
  // A visit's pages: the path every event carries (eventPath), and who the visit belongs to (visitorOf).
  let visitColumns = false;
  let vpath = 'vpath';
  const defineVisitColumns = () => {
    if (visitColumns) return;
    visitColumns = true;
    vpath = define(`coalesce(${scalarOf('context.page.path')}, ${scalarOf('properties.path')})`, 'vpath');
    define(`coalesce(nullif(anonymousId, ''), nullif(userId, ''))`, 'vis');
  };
  const dimensionColumn = (dimension: BreakdownDimension): string => {
    if (dimension === 'visit.entry_page' || dimension === 'visit.exit_page') {
      defineVisitColumns();
      return vpath;
    }
    if (dimension === 'type') return 'type';
    if (dimension === 'event') return 'coalesce(event, type)';
    // One row per goal completed, in the goal hits (`gev`); see goalHitsSql.
    if (dimension === 'goal') return 'goal';
    let column = dims.get(dimension);
    const scalar = scalarOf(breakdownPath(dimension));
    if (!column) {
      column = define(scalar, `d${dims.size}`);
      dims.set(dimension, column);
    }
    return column;
  };
  metrics.forEach((metric, i) => {
    using = filterSql(metric.filter);
    if (metric.visit) defineVisitColumns();
    for (const dimension of metric.breakdowns) dimensionColumn(dimension);
    const m = metric.measure;
    if (m.kind === 'sum') {
      const text = value('js_minor_text', m.property, 't');
      const u = unitColumn(text, m.decimals);
      measures.set(i, define(u, `m${i}`));
      rejections.set(i, define(`${text} IS NOT NULL AND ${u} IS NULL`, `r${i}`));
    } else if (m.kind === 'unique') {
      measures.set(i, define(m.identity === 'user' ? `nullif(coalesce(userId, anonymousId), '')` : `coalesce(${scalarOf('context.sessionId')}, ${scalarOf('properties.sessionId')})`, `m${i}`));
    } else if (m.kind === 'topk') {
      measures.set(i, define(`coalesce(${m.property.map(scalarOf).join(', ')})`, `m${i}`));
    }
  });
  // goal-metrics.ts compileGoal, per goal: NULL (an absent value) reads as not completed.
  const goalColumns: Array<{ id: string; column: string }> = [];
  const goalMetric = metrics.find((m) => m.goal);
  if (goalMetric && goals.length > 0) {
    using = filterSql(goalMetric.filter);
    goals.forEach((goal, k) => {
      const condition = goalConditionSql(goal, scalarOf);
      goalColumns.push({ id: goal.id, column: define(`coalesce(${filterSql(goalMetric.filter)} AND ${condition}, false)`, `g${k}`) });
    });
    define(goalColumns.map((g) => g.column).join(' OR '), 'gany');
  }
  using = null;
  const values = [...valueOf.values()].map(({ column, expr, filters }) =>
    filters.has(filterSql({})) && filters.has(filterSql({ bots: 'only' })) ? `${expr} AS ${column}` : `CASE WHEN ${[...filters].map((f) => `(${f})`).join(' OR ')} THEN ${expr} END AS ${column}`,
  );
  const raw = [...SCALAR_COLUMNS, ...[...roots].map(([root, keys]): [string, string] => [root, `STRUCT(${[...keys].map((k) => `${ident(k)} JSON`).join(', ')})`])];
  return {
    schema: `{${raw.map(([name, type]) => `${name}: ${lit(type)}`).join(', ')}}`,
    emptyRaw: `(SELECT ${raw.map(([name, type]) => `NULL::${type} AS ${ident(name)}`).join(', ')}, NULL::VARCHAR AS filename WHERE false)`,
    roots: Object.fromEntries(raw.slice(SCALAR_COLUMNS.length)),
    leaves,
    values,
    units,
    derived,
    names,
    measure: (i) => (metrics[i]!.measure.kind === 'count' ? '1' : measures.get(i)!),
    rejected: (i) => rejections.get(i) ?? null,
    dimension: dimensionColumn,
    goals: goalColumns,
  };
}

/**
 * goal-metrics.ts compileGoals' test of one goal: a track event of the goal's name with each of its
 * property values (as text, the way breakdown values read), or a page or screen view whose path
 * matches the goal's pattern (`*` any run of characters; LIKE's own `%` and `_` escaped).
 * `scalarOf(path)` is the path's value as `scalar()` reads it; an absent value makes it NULL,
 * which the caller reads as not completed. The batch and the raw-event path both build on it.
 */
export function goalConditionSql(goal: GoalDefinition, scalarOf: (path: string) => string): string {
  if (goal.kind === 'page') {
    const pattern = (goal.path ?? '').replace(/[\\%_]/g, (ch) => `\\${ch}`).replaceAll('*', '%');
    return `type IN ('page', 'screen') AND coalesce(${scalarOf('context.page.path')}, ${scalarOf('properties.path')}) LIKE ${lit(pattern)} ESCAPE '\\'`;
  }
  const props = Object.entries(goal.properties ?? {}).map(([key, v]) => ` AND ${scalarOf(`properties.${key}`)} = ${lit(String(v))}`);
  return `type = 'track' AND event = ${lit(goal.event ?? '')}${props.join('')}`;
}

export function filterSql(filter: MetricFilter): string {
  const parts = [filter.bots === 'only' ? 'isBot = true' : 'isBot = false'];
  if (filter.types) parts.push(filter.types.length ? `type IN (${filter.types.map(lit).join(', ')})` : 'false');
  if (filter.events) parts.push(filter.events.length ? `event IN (${filter.events.map(lit).join(', ')})` : 'false');
  return parts.join(' AND ');
}

/** The Parquet view's rows: one per cell (and per top-K item), all kinds in one long table. */
export const VIEW_COLUMNS = 'metric, dimension, value, bucket, item, amount, sketch';
