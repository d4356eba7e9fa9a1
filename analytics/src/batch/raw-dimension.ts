import { lit } from './metric-sql.ts';

/**
 * A value the raw path can cut and filter by: an ingest dimension (`dimensions.<name>`), `type`,
 * `event` (track name, else type, as the cells store it) or a path under properties or context.
 */
export type RawDimension = { kind: 'column'; name: 'type' | 'event' } | { kind: 'json'; root: 'dimensions' | 'properties' | 'context'; path: readonly string[] };

/** A visit's entry page (its first event's page) or exit page (its last page): visit measures only. */
export type VisitPage = { kind: 'visit'; page: 'entry' | 'exit' };

/**
 * One filter. For a per-event measure it holds on the event. For a visit measure it holds on the
 * visit's entry event (`entry`, the default: the values the visit's cells are cut by) or on any
 * one of the visit's events (`any`: a visit that viewed /pricing).
 */
export interface RawFilter {
  dimension: RawDimension | VisitPage;
  value: string;
  scope?: 'entry' | 'any';
}

export function dimensionSql(dimension: RawDimension): string {
  if (dimension.kind === 'column') return dimension.name === 'event' ? 'coalesce(event, type)' : 'type';
  return `json_extract(${dimension.root}, ${lit(`$${dimension.path.map((k) => `."${k}"`).join('')}`)})`;
}

/** The JSON value at a dotted path under properties, context or dimensions. */
export function jsonAtSql(path: string): string {
  const [root, ...keys] = path.split('.');
  if ((root !== 'properties' && root !== 'context' && root !== 'dimensions') || keys.length === 0) throw new Error(`The raw path reads paths under properties, context or dimensions, not "${path}"`);
  return dimensionSql({ kind: 'json', root, path: keys });
}

/** `js_scalar` reads a column: each JSON value is extracted once in `x`, then read as the cells read it. */
export const valueSql = (dimension: RawDimension, column: string) => (dimension.kind === 'column' ? column : `js_scalar(${column})`);

/**
 * The column of the raw read holding the scalar (as `js_scalar` reads it) at a dotted path under
 * properties, context or dimensions: computed once per event, or kept with a cached day's rows.
 */
export const scalarColumn = (path: string) => `"s:${path.replaceAll('"', '""')}"`;

/** A dimension's value as filters compare it: a column as stored, a JSON path through its scalar column. */
export function scalarValueSql(dimension: RawDimension, column: (expression: string) => string, scalar: (path: string) => string): string {
  return dimension.kind === 'column' ? column(dimensionSql(dimension)) : scalar([dimension.root, ...dimension.path].join('.'));
}
