import type { DuckDBConnection } from '@duckdb/node-api';
import { DAY_MS } from './layout.ts';
import { lit } from './metric-sql.ts';
import { jsonAtSql, scalarColumn } from './raw-dimension.ts';
import { type HeldObject, holdObjects, type ObjectState, objectState } from './raw-object-cache.ts';

/*
 * The closed days a connection's questions read, held in one temporary table of that connection:
 * the rows of each day's columnar copy kept by questions (`first`), with the per-event columns of
 * the raw read already derived, and per scalar path a question has read its value as a column. A
 * day is held under its copy's digest: a rewritten copy (a replay, an erasure) has another one
 * and is loaded again, and a day no longer read from a copy (late objects, an erasure settled
 * since) is dropped the next time a question reads it. Questions on a dashboard ask the same
 * tenant's days again and again; each then scans a small table instead of opening and parsing a
 * Parquet file per day.
 */
const TABLE = 'raw_day_cache';

/** Rows held per connection: a few tenant-months of events. Beyond it the least recently read days go. */
export const MAX_CACHED_ROWS = 1_000_000;
/** Scalar columns held; a path past these is read from the JSON root at each question. */
const MAX_SCALARS = 48;

/** What a question reads from a held day, in the raw read's shape (RAW_EVENT_COLUMNS with isBot). */
export const CACHED_COLUMNS = 'messageId, type, event, visitor, person, isBot, ts_ms, rcv_ms, path, properties, context, dimensions';

interface HeldDay {
  sha: string;
  rows: number;
  used: number;
}

interface State {
  days: Map<string, HeldDay>;
  scalars: string[];
  rows: number;
  tick: number;
  created: boolean;
  /** Today's objects and those of days no copy stands for (raw-object-cache.ts). */
  ndjson: ObjectState;
  /** One question at a time holds the table, so no day it reads is dropped or replaced under it. */
  queue: Promise<void>;
}

const states = new WeakMap<DuckDBConnection, State>();
const dayKey = (tenantId: string, date: string) => `${tenantId}\u0000${date}`;

/** Rows of closed days `connection` holds now, every tenant's. */
export function heldRowCount(connection: DuckDBConnection): number {
  return states.get(connection)?.rows ?? 0;
}

export interface CachedRead {
  /** The dates read from the table. */
  dates: string[];
  /** The scalar paths the table holds as columns. */
  scalars: ReadonlySet<string>;
  /** A SELECT of the held rows of `dates` (bots included), or null when none. */
  sql: string | null;
  /** A SELECT of the lines of the NDJSON objects asked for, in the NDJSON read's columns before ranking; null when none were asked. */
  objectsSql: string | null;
  release(): void;
}

/**
 * Holds the days `copies` (their digest and a way to the copy's file, null when gone) for one
 * question, loading those not held under that digest, dropping `stale` ones (read from NDJSON now),
 * and adds the columns of `scalars` not held yet; holds the NDJSON `objects` too. The caller runs
 * its statement, then `release`.
 */
export async function holdDays(
  connection: DuckDBConnection,
  tenantId: string,
  copies: ReadonlyArray<{ date: string; sha: string; file: () => Promise<string | null> }>,
  stale: readonly string[],
  scalars: readonly string[],
  objects: readonly HeldObject[] = [],
): Promise<CachedRead> {
  let state = states.get(connection);
  if (!state) states.set(connection, (state = { days: new Map(), scalars: [], rows: 0, tick: 0, created: false, ndjson: objectState(), queue: Promise.resolve() }));
  const held = state;
  let release!: () => void;
  const turn = held.queue;
  held.queue = new Promise<void>((resolve) => (release = resolve));
  await turn;
  try {
    if (!held.created) {
      await create(connection);
      held.created = true;
    }
    for (const date of stale) await drop(connection, held, tenantId, date);
    const missing = scalars.filter((p) => !held.scalars.includes(p)).slice(0, Math.max(0, MAX_SCALARS - held.scalars.length));
    for (const path of missing) {
      await connection.run(`ALTER TABLE ${TABLE} ADD COLUMN ${scalarColumn(path)} VARCHAR`);
      await connection.run(`UPDATE ${TABLE} SET ${scalarColumn(path)} = js_scalar(${jsonAtSql(path)})`);
      held.scalars.push(path);
    }
    const loading: Array<{ date: string; sha: string; file: string }> = [];
    for (const copy of copies) {
      const day = held.days.get(dayKey(tenantId, copy.date));
      if (day && day.sha !== copy.sha) await drop(connection, held, tenantId, copy.date);
      if (held.days.has(dayKey(tenantId, copy.date))) continue;
      const file = await copy.file();
      if (file !== null) loading.push({ date: copy.date, sha: copy.sha, file });
    }
    const rows = loading.length ? await load(connection, held.scalars, tenantId, loading) : new Map<string, number>();
    for (const { date, sha } of loading) {
      const n = rows.get(date) ?? 0;
      held.days.set(dayKey(tenantId, date), { sha, rows: n, used: 0 });
      held.rows += n;
    }
    const dates = copies.map((c) => c.date).filter((date) => held.days.has(dayKey(tenantId, date)));
    for (const date of dates) held.days.get(dayKey(tenantId, date))!.used = ++held.tick;
    await evict(connection, held, new Set(dates.map((d) => dayKey(tenantId, d))));
    const sql = dates.length ? `SELECT ${CACHED_COLUMNS}${held.scalars.map((p) => `, ${scalarColumn(p)}`).join('')} FROM ${TABLE} WHERE tenant = ${lit(tenantId)} AND (${runsSql(dates)})` : null;
    const objectsSql = await holdObjects(connection, held.ndjson, tenantId, objects);
    return { dates, scalars: new Set(held.scalars), sql, objectsSql, release };
  } catch (error) {
    release();
    throw error;
  }
}

async function create(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${TABLE} (tenant VARCHAR, date VARCHAR, messageId VARCHAR, type VARCHAR, event VARCHAR, visitor VARCHAR, person VARCHAR,
    isBot BOOLEAN, ts_ms BIGINT, rcv_ms BIGINT, path VARCHAR, properties JSON, context JSON, dimensions JSON)`);
}

/** The days' copies' first receipts, bots included, each scalar column held computed as a question computes it: one read of all the files. */
async function load(connection: DuckDBConnection, scalars: readonly string[], tenantId: string, days: ReadonlyArray<{ date: string; file: string }>): Promise<Map<string, number>> {
  await connection.run(`INSERT INTO ${TABLE} SELECT ${lit(tenantId)}, date, messageId, type, event, visitor, person, isBot, ts_ms, rcv_ms, path, properties, context, dimensions${scalars.map((_, i) => `, js_scalar(j${i})`).join('')}
    FROM (SELECT d.date, messageId, type, event, coalesce(nullif(anonymousId, ''), nullif(userId, '')) AS visitor, coalesce(nullif(userId, ''), nullif(anonymousId, '')) AS person, isBot, ts_ms, rcv_ms,
        coalesce(nullif(json_extract_string(context, '$.page.path'), ''), nullif(json_extract_string(properties, '$.path'), '')) AS path, properties, context, dimensions${scalars.map((p, i) => `, ${jsonAtSql(p)} AS j${i}`).join('')}
      FROM read_parquet([${days.map((d) => lit(d.file)).join(', ')}], filename = true, hive_partitioning = false) c
      JOIN (VALUES ${days.map((d) => `(${lit(d.file)}, ${lit(d.date)})`).join(', ')}) d(file, date) ON c.filename = d.file
      WHERE first)
    ORDER BY ts_ms`);
  const counts = await connection.runAndReadAll(`SELECT date, count(*) FROM ${TABLE} WHERE tenant = ${lit(tenantId)} AND date IN (${days.map((d) => lit(d.date)).join(', ')}) GROUP BY date`);
  return new Map(counts.getRowsJS().map(([date, n]) => [String(date), Number(n)]));
}

async function drop(connection: DuckDBConnection, state: State, tenantId: string, date: string): Promise<void> {
  const key = dayKey(tenantId, date);
  const day = state.days.get(key);
  if (!day) return;
  await connection.run(`DELETE FROM ${TABLE} WHERE tenant = ${lit(tenantId)} AND date = ${lit(date)}`);
  state.days.delete(key);
  state.rows -= day.rows;
}

/** Past MAX_CACHED_ROWS, the least recently read days other than the question's own. */
async function evict(connection: DuckDBConnection, state: State, keep: ReadonlySet<string>): Promise<void> {
  if (state.rows <= MAX_CACHED_ROWS) return;
  const order = [...state.days].filter(([key]) => !keep.has(key)).sort((a, b) => a[1].used - b[1].used);
  for (const [key] of order) {
    if (state.rows <= MAX_CACHED_ROWS) break;
    const [tenantId, date] = key.split('\u0000') as [string, string];
    await drop(connection, state, tenantId, date);
  }
}

/** The dates as ranges of consecutive days: a long IN list becomes a join, a range a comparison. */
function runsSql(dates: readonly string[]): string {
  const runs: Array<[string, string]> = [];
  for (const date of [...dates].sort()) {
    const last = runs.at(-1);
    if (last && Date.parse(date) - Date.parse(last[1]) === DAY_MS) last[1] = date;
    else runs.push([date, date]);
  }
  return runs.map(([from, to]) => (from === to ? `date = ${lit(from)}` : `date BETWEEN ${lit(from)} AND ${lit(to)}`)).join(' OR ');
}
