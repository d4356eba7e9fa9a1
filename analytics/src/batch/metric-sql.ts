import type { BreakdownDimension, Measure, MetricDeclaration, MetricFilter } from '../contracts/metrics.ts';
import { HLL_PRECISION } from '../sketches/hyperloglog.ts';
import { RESOLUTION_MS, TOPK_CELL_CAPACITY } from '../speed/aggregate-store.ts';

/**
 * DuckDB SQL derived from the metric declarations: the batch's translation of `contributions()`.
 * Every rule of the TypeScript function has its SQL twin here (filter, measure, breakdown value,
 * `scalar`, `toMinorUnits`, `hash64`/`hllPoint`), and the tests hold the two to equal output, so
 * a new declaration changes both layers with no other code.
 */

export const QUARTER_MS = RESOLUTION_MS.quarter;

/** The raw NDJSON schema: explicit, so a malformed file fails loudly instead of being guessed at. */
export const RAW_COLUMNS = `{tenantId: 'VARCHAR', messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR', timestamp: 'VARCHAR', receivedAt: 'VARCHAR', properties: 'JSON', context: 'JSON', traits: 'JSON', isBot: 'BOOLEAN'}`;

const JSON_ROOTS = new Set(['properties', 'context', 'traits']);
const SAFE = 9007199254740991n;
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
-- metrics.ts scalar(): non-empty strings (first 200 characters), finite numbers, booleans. j must be a column.
CREATE OR REPLACE MACRO js_scalar(j) AS CASE
  WHEN json_type(j) = 'VARCHAR' THEN nullif(left(j ->> '$', 200), '')
  WHEN json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN js_number(j::DOUBLE)
  WHEN json_type(j) = 'BOOLEAN' THEN j ->> '$'
  ELSE NULL END;
-- String.prototype.trim's white space.
CREATE OR REPLACE MACRO js_trim(s) AS regexp_replace(s, '^[\\t\\n\\x0B\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]+|[\\t\\n\\x0B\\f\\r \\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]+$', '', 'g');
-- toMinorUnits' input text: the number's string, the trimmed string, '' for anything else; NULL when absent.
CREATE OR REPLACE MACRO js_minor_text(j) AS CASE
  WHEN j IS NULL OR json_type(j) = 'NULL' THEN NULL
  WHEN json_type(j) = 'VARCHAR' THEN js_trim(j ->> '$')
  WHEN json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN js_number(j::DOUBLE)
  ELSE '' END;
-- toMinorUnits(): an exact integer of 10^-d units, NULL when not representable (a rejection).
CREATE OR REPLACE MACRO js_minor_units(t, d) AS list_transform([regexp_extract(t, '^(-?)(\\d+)(?:\\.(\\d+))?$', ['sgn', 'w', 'f'])], lambda p:
  CASE WHEN p.w <> '' AND length(rtrim(p.f, '0')) <= d THEN list_transform([(CASE WHEN p.sgn = '-' THEN -1 ELSE 1 END) * try_cast(p.w || rpad(rtrim(p.f, '0'), d, '0') AS HUGEINT)], lambda u:
    CASE WHEN abs(u) <= ${SAFE} THEN u END)[1] END)[1];
-- hash64 (first 8 bytes of SHA-256) and hllPoint: register index = top ${HLL_PRECISION} bits, rank = 1 + leading zeros of the other ${Q}.
CREATE OR REPLACE MACRO hash64(s) AS ('0x' || substr(sha256(s), 1, 16))::UBIGINT;
CREATE OR REPLACE MACRO hll_index(h) AS (h >> ${Q})::INTEGER;
CREATE OR REPLACE MACRO hll_rank(h) AS list_transform([h & ${(1n << BigInt(Q)) - 1n}::UBIGINT], lambda rest: CASE WHEN rest = 0 THEN ${Q + 1} ELSE ${Q + 1} - length(bin(rest)) END)[1]::INTEGER;
`;

export const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;


/** The per-event columns the metrics need: JSON leaves pulled in the scan, derived values in `ev`. */
export interface EventColumns {
  /** SELECT list over the raw rows: one JSON column per path (one parse per root). */
  extract: string[];
  /** SELECT list over the scan: measured values, breakdown values, rejection flags. */
  select: string[];
  /** Per metric: its measured value in `ev` (NULL = no contribution). */
  measure: (metricIndex: number) => string;
  /** Per metric with a sum: true when the value was present but not a decimal. */
  rejected: (metricIndex: number) => string | null;
  dimension: (dimension: BreakdownDimension) => string;
}

export function eventColumns(metrics: readonly MetricDeclaration[]): EventColumns {
  const select: string[] = [];
  // root → [json path, column]
  const roots = new Map<string, Array<[string, string]>>();
  let pathCount = 0;
  const pathColumn = (path: string): string => {
    const [root, ...rest] = path.split('.');
    if (!root || !JSON_ROOTS.has(root) || rest.length === 0) {
      throw new Error(`The batch layer reads paths under ${[...JSON_ROOTS].join(', ')}; cannot derive SQL for "${path}"`);
    }
    const jsonPath = '$' + rest.map((k) => `."${k.replaceAll('"', '\\"')}"`).join('');
    const list = roots.get(root) ?? [];
    roots.set(root, list);
    const found = list.find(([p]) => p === jsonPath);
    if (found) return found[1];
    const column = `j${pathCount++}`;
    list.push([jsonPath, column]);
    return column;
  };
  const scalarOf = (path: string) => `js_scalar(${pathColumn(path)})`;
  const dims = new Map<string, string>();
  const dimensionColumn = (dimension: BreakdownDimension): string => {
    if (dimension === 'type') return 'type';
    if (dimension === 'event') return 'coalesce(event, type)';
    let column = dims.get(dimension);
    if (!column) {
      column = `d${dims.size}`;
      dims.set(dimension, column);
      select.push(`${scalarOf(dimension)} AS ${column}`);
    }
    return column;
  };
  metrics.forEach((metric, i) => {
    for (const dimension of metric.breakdowns) dimensionColumn(dimension);
    const m = metric.measure;
    if (m.kind === 'sum') {
      select.push(`js_minor_text(${pathColumn(m.property)}) AS t${i}`, `js_minor_units(t${i}, ${m.decimals}) AS m${i}`, `t${i} IS NOT NULL AND m${i} IS NULL AS r${i}`);
    } else if (m.kind === 'unique') {
      const identity = m.identity === 'user' ? `nullif(coalesce(userId, anonymousId), '')` : `coalesce(${scalarOf('context.sessionId')}, ${scalarOf('properties.sessionId')})`;
      select.push(`${identity} AS m${i}`);
    } else if (m.kind === 'topk') {
      select.push(`coalesce(${m.property.map(scalarOf).join(', ')}) AS m${i}`);
    }
  });
  const extract = [...roots].flatMap(([root, list]) => list.map(([, column], k) => `json_extract(${root}, [${list.map(([p]) => lit(p)).join(', ')}])[${k + 1}] AS ${column}`));
  return {
    extract,
    select,
    measure: (i) => (metrics[i]!.measure.kind === 'count' ? '1' : `m${i}`),
    rejected: (i) => (metrics[i]!.measure.kind === 'sum' ? `r${i}` : null),
    dimension: dimensionColumn,
  };
}

export function filterSql(filter: MetricFilter): string {
  const parts = [filter.bots === 'only' ? 'isBot = true' : 'isBot = false'];
  if (filter.types) parts.push(filter.types.length ? `type IN (${filter.types.map(lit).join(', ')})` : 'false');
  if (filter.events) parts.push(filter.events.length ? `event IN (${filter.events.map(lit).join(', ')})` : 'false');
  return parts.join(' AND ');
}

/** The Parquet view's rows: one per cell (and per top-K item), all kinds in one long table. */
export const VIEW_COLUMNS = 'metric, dimension, value, bucket, item, amount, sketch';

/**
 * One SELECT per metric and series (the total, then each breakdown), over the deduplicated
 * events `ev` and the hashed identities `idh`: counts and sums add, uniques give the exact
 * distinct count and the sparse HyperLogLog registers, top-K gives its items.
 */
export function cellsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string {
  const selects: string[] = [];
  metrics.forEach((metric, i) => {
    const series: Array<{ dimension: string; value: string } | null> = [null, ...metric.breakdowns.map((d) => ({ dimension: lit(d), value: columns.dimension(d) }))];
    const measure = columns.measure(i);
    for (const s of series) {
      const where = [filterSql(metric.filter), `(${measure}) IS NOT NULL`, ...(s ? [`${s.value} IS NOT NULL`] : [])].join(' AND ');
      const head = `${lit(metric.name)} AS metric, ${s ? s.dimension : 'NULL'}::VARCHAR AS dimension`;
      const value = s ? s.value : 'NULL::VARCHAR';
      selects.push(cellSelect(metric.measure, head, value, measure, where));
    }
  });
  return selects.map((s) => `(${s})`).join('\nUNION ALL BY NAME\n');
}

function cellSelect(measure: Measure, head: string, value: string, expr: string, where: string): string {
  switch (measure.kind) {
    case 'count':
      return `SELECT ${head}, ${value} AS value, bucket, NULL::VARCHAR AS item, count(*)::BIGINT AS amount, NULL::BLOB AS sketch FROM ev WHERE ${where} GROUP BY ALL`;
    case 'sum':
      return `SELECT ${head}, ${value} AS value, bucket, NULL::VARCHAR AS item, sum(${expr})::BIGINT AS amount, NULL::BLOB AS sketch FROM ev WHERE ${where} GROUP BY ALL`;
    case 'unique':
      // Distinct identities per cell, their points from `idh`, the max rank per register, then
      // the registers as a sorted [index u16, rank u8] blob.
      return `WITH ids AS (SELECT DISTINCT ${value} AS value, bucket, ${expr} AS id FROM ev WHERE ${where}),
        pts AS (SELECT ids.value, ids.bucket, idh.ix, max(idh.rk) AS rk FROM ids JOIN idh ON ids.id = idh.id GROUP BY ALL)
        SELECT ${head}, c.value, c.bucket, NULL::VARCHAR AS item, c.amount, r.sketch
        FROM (SELECT value, bucket, count(*)::BIGINT AS amount FROM ids GROUP BY ALL) c
        JOIN (SELECT value, bucket, from_hex(string_agg(printf('%04x%02x', ix, rk), '' ORDER BY ix)) AS sketch FROM pts GROUP BY ALL) r
          ON c.bucket = r.bucket AND c.value IS NOT DISTINCT FROM r.value`;
    case 'topk':
      // Exact counts; past the cell capacity the tail is one row with a NULL item (`other`).
      return `WITH c AS (SELECT ${value} AS value, bucket, ${expr} AS item, count(*) AS n FROM ev WHERE ${where} GROUP BY ALL),
        r AS (SELECT *, row_number() OVER (PARTITION BY value, bucket ORDER BY n DESC, item) AS rn FROM c)
        SELECT ${head}, value, bucket, CASE WHEN rn <= ${TOPK_CELL_CAPACITY} THEN item END AS item, sum(n)::BIGINT AS amount, NULL::BLOB AS sketch
        FROM r GROUP BY value, bucket, CASE WHEN rn <= ${TOPK_CELL_CAPACITY} THEN item END`;
  }
}

/** Distinct identities of every unique metric, hashed once each. */
export function identitiesSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string | null {
  const sources = metrics.flatMap((m, i) => (m.measure.kind === 'unique' ? [`SELECT ${columns.measure(i)} AS id FROM ev WHERE ${columns.measure(i)} IS NOT NULL`] : []));
  if (sources.length === 0) return null;
  return `SELECT id, hll_index(h) AS ix, hll_rank(h) AS rk FROM (SELECT id, hash64(id) AS h FROM (${sources.join(' UNION ')}))`;
}

/** Rejected values per metric (present, matching, but not a decimal): one column total. */
export function rejectionsSql(metrics: readonly MetricDeclaration[], columns: EventColumns): string {
  const terms = metrics.flatMap((m, i) => {
    const rejected = columns.rejected(i);
    return rejected ? [`count(*) FILTER (WHERE ${filterSql(m.filter)} AND ${rejected})`] : [];
  });
  return `SELECT ${terms.length ? terms.join(' + ') : '0'} AS rejected FROM ev`;
}
