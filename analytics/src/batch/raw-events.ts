import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { lit } from './metric-sql.ts';
import { DAY_MS, periodAt } from './layout.ts';
import type { LakeStore } from './lake-store.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnarStamp } from './raw-columnar.ts';
import { type CachedRead, holdDays } from './raw-day-cache.ts';
import { type HeldObject, NDJSON_COLUMNS, NDJSON_SCHEMA } from './raw-object-cache.ts';
import { jsonAtSql, scalarColumn } from './raw-dimension.ts';
import { copyFile, defaultCacheDir, pinCopy, pinDirectory, questionDirectory, type QuestionDir, rawFiles, type RawDay, readRawDays } from './raw-read.ts';

/** The per-event columns goal, funnel and retention queries read: `e` in their SQL. */
export const RAW_EVENT_COLUMNS = 'messageId, type, event, visitor, person, ts_ms, rcv_ms, path, properties, context, dimensions';

/** How far an event query's answer reaches: the raw objects it read and the last receipt among them. */
export interface RawFreshness {
  source: 'raw events';
  /** Latest receivedAt among the events read (ISO 8601), null when none. */
  through: string | null;
  files: number;
}

export interface RawEventsSource {
  sql: string;
  /** Raw objects the events come from (those a columnar copy holds included). */
  files: number;
  /** Days read from their columnar copy; the others were read from NDJSON. */
  copies: number;
  /** The dates read from a columnar copy (held by the connection or read from the file), not from NDJSON. */
  copied: ReadonlySet<string>;
  /** The dates read from a local lake's NDJSON objects, each with the digest of their tags as read (`dayObjects`). */
  ndjson: ReadonlyMap<string, string>;
  /** Removes what was downloaded for this question only; call once the SQL has run. */
  release(): Promise<void>;
}

/**
 * A SELECT of one tenant's human events in [from, to) from the raw store: each messageId once (its
 * first receipt), the visitor as visits count it (anonymousId, else userId), the person as
 * unique_users counts them (userId, else anonymousId), the page path (context.page.path, else
 * properties.path), and the properties, context and ingest dimensions as JSON. Null when the
 * range has no raw objects.
 *
 * A day whose columnar copy still holds exactly its raw objects (raw-columnar.ts) is read from
 * the copy, where duplicates were ranked when it was compacted; any other day (today, a day the
 * batch has not compacted, one with late objects or a settled erasure since) from its NDJSON, so
 * the answer is as fresh as the archiver's last flush. Duplicates are dropped within a UTC day,
 * as the batch drops them and as a copy holds them, so a day's events do not depend on which
 * other days a question reads. A local lake's NDJSON is read in place; any other store
 * through its port: copies into a cache named by their digest, NDJSON into a directory `release`
 * removes. Each copy is read through a hard link of the question's own (`release` removes them),
 * so a replay or rebuild deleting or rewriting copies meanwhile does not fail the question.
 */
export async function rawEventsSql(lake: LakeStore, tenantId: string, from: number, to: number, options: RawReadOptions = {}): Promise<RawEventsSource | null> {
  return rawEventsOver(lake, tenantId, [{ from, to }], options);
}

export interface RawReadOptions {
  cacheDir?: string;
  /**
   * The connection the SQL will run on: closed days are then read from its held rows
   * (raw-day-cache.ts), loaded from their copies once, and `release` lets the next question hold them.
   */
  connection?: DuckDBConnection;
  /** Dotted paths under properties, context or dimensions whose scalar each event carries as `scalarColumn(path)`. */
  scalars?: readonly string[];
  /** Keeps the bot events too, with an `isBot` column (each messageId ranked once among all its receipts, as the batch ranks them). */
  bots?: boolean;
  /** The days as `readRawDays` has just listed them for this question (any others the ranges touch are listed here). */
  listed?: readonly RawDay[];
}

/**
 * `rawEventsSql` over several ranges at once (a period and the one it is compared with): each
 * day any range touches is listed and read once, and the events of every range come out of one
 * SELECT, so one statement answers them all. The days between two distant ranges are not read.
 */
export async function rawEventsOver(lake: LakeStore, tenantId: string, ranges: ReadonlyArray<{ from: number; to: number }>, options: RawReadOptions = {}): Promise<RawEventsSource | null> {
  const spans = mergedRanges(ranges);
  const dates = new Set<string>();
  for (const { from, to } of spans) for (let day = periodAt(from).start; day < to; day += DAY_MS) dates.add(new Date(day).toISOString().slice(0, 10));
  const known = new Map((options.listed ?? []).map((d) => [d.date, d]));
  const unlisted = [...dates].filter((d) => !known.has(d)).sort();
  const fresh = unlisted.length ? await readRawDays(lake, tenantId, unlisted) : [];
  const days = [...[...dates].flatMap((d) => (known.has(d) ? [known.get(d)!] : [])), ...fresh].sort((a, b) => (a.date < b.date ? -1 : 1));
  const files = days.reduce((n, d) => n + d.objects, 0);
  if (files === 0) return null;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const scalars = [...new Set(options.scalars ?? [])];
  const download = lake.localPath ? null : await questionDirectory(cacheDir);
  let pins: QuestionDir | null = null;
  const pin = async (date: string, stamp: ColumnarStamp) => {
    const stored = await copyFile(lake, tenantId, date, stamp, cacheDir);
    if (!stored) return null;
    pins ??= download ?? (await pinDirectory(lake, cacheDir));
    // Pinned, so a replay or rebuild replacing or deleting the copy from now on cannot fail the read.
    return pinCopy(stored, pins.path, date);
  };
  let held: CachedRead | null = null;
  const ndjsonRead = new Map<string, string>();
  const release = async () => {
    held?.release();
    for (const dir of new Set([download, pins])) await dir?.release();
  };
  try {
    if (options.connection) {
      const copied = days.flatMap((d) => (d.copy ? [{ date: d.date, sha: d.copy.sha256, file: () => pin(d.date, d.copy!) }] : []));
      // A local lake's objects are held by what their files are now; another store's are fetched per question.
      const objects: HeldObject[] = [];
      for (const day of lake.localPath ? days.filter((d) => !d.copy) : []) {
        const { held: dayHeld, digest } = dayObjects((key) => lake.localPath!(key), day);
        objects.push(...dayHeld);
        ndjsonRead.set(day.date, digest);
      }
      held = await holdDays(options.connection, tenantId, copied, days.filter((d) => !d.copy).map((d) => d.date), scalars, objects);
    }
    const fromTable = new Set(held?.dates ?? []);
    const copies: string[] = [];
    const copied = new Set(fromTable);
    const ndjson: string[] = [];
    for (const day of days) {
      if (fromTable.has(day.date) || (held?.objectsSql && !day.copy)) continue;
      const copy = day.copy ? await pin(day.date, day.copy) : null;
      if (copy) copied.add(day.date);
      if (copy) copies.push(copy);
      else ndjson.push(...(await rawFiles(lake, day.keys, download?.path ?? null)));
    }
    // Each part: the events with the columns of CACHED_COLUMNS; the scalars are added below where a part lacks them.
    const derived = (sql: string) => `SELECT messageId, type, event, coalesce(nullif(anonymousId, ''), nullif(userId, '')) AS visitor,
          coalesce(nullif(userId, ''), nullif(anonymousId, '')) AS person, isBot, ts_ms, rcv_ms,
          coalesce(nullif(json_extract_string(context, '$.page.path'), ''), nullif(json_extract_string(properties, '$.path'), '')) AS path, properties, context, dimensions
        FROM (${sql})`;
    const computed = (sql: string, have: ReadonlySet<string>) => {
      const lacking = scalars.filter((p) => !have.has(p));
      if (!lacking.length) return sql;
      // js_scalar reads a column: each JSON value extracted once below it.
      return `SELECT * EXCLUDE (${lacking.map((_, i) => `j${i}`).join(', ')})${lacking.map((p, i) => `, js_scalar(j${i}) AS ${scalarColumn(p)}`).join('')}
        FROM (SELECT *${lacking.map((p, i) => `, ${jsonAtSql(p)} AS j${i}`).join('')} FROM (${sql}))`;
    };
    const parts: string[] = [];
    const none = new Set<string>();
    if (held?.sql) parts.push(computed(held.sql, held.scalars));
    if (copies.length) {
      parts.push(computed(derived(`SELECT messageId, type, event, userId, anonymousId, isBot, ts_ms, rcv_ms, properties, context, dimensions
        FROM read_parquet([${copies.map(lit).join(', ')}]) WHERE first`), none));
    }
    // The NDJSON lines, held or read now, ranked together: each messageId once per UTC day (its first receipt).
    const lines: string[] = held?.objectsSql ? [held.objectsSql] : [];
    if (ndjson.length) {
      lines.push(`SELECT ${NDJSON_COLUMNS} FROM (SELECT *, epoch_ms(try_cast("timestamp" AS TIMESTAMPTZ)) AS ts_ms, epoch_ms(try_cast(receivedAt AS TIMESTAMPTZ)) AS rcv_ms
            FROM read_json([${ndjson.map(lit).join(', ')}], format = 'newline_delimited', columns = ${NDJSON_SCHEMA}))
          WHERE tenantId = ${lit(tenantId)}`);
    }
    if (lines.length) {
      parts.push(computed(derived(`SELECT ${NDJSON_COLUMNS} FROM (
          SELECT *, row_number() OVER (PARTITION BY messageId, ts_ms // ${DAY_MS} ORDER BY rcv_ms) AS copy FROM (${lines.join(' UNION ALL ')}))
        WHERE copy = 1`), none));
    }
    const sql = `SELECT ${RAW_EVENT_COLUMNS}${options.bots ? ', isBot' : ''}${scalars.map((p) => `, ${scalarColumn(p)}`).join('')} FROM (${parts.map((part) => `SELECT ${RAW_EVENT_COLUMNS}, isBot${scalars.map((p) => `, ${scalarColumn(p)}`).join('')} FROM (${part})`).join('\n        UNION ALL\n        ')})
      WHERE ${options.bots ? '' : 'isBot = false AND '}(${spans.map(({ from, to }) => `(ts_ms >= ${Math.floor(from)} AND ts_ms < ${Math.floor(to)})`).join(' OR ')}) AND rcv_ms IS NOT NULL AND visitor IS NOT NULL`;
    return { sql, files, copies: copies.length + fromTable.size, copied, ndjson: held?.objectsSql ? ndjsonRead : new Map(), release };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * A local lake's NDJSON day as a question holds it: each object tagged with what its file is now,
 * and a digest of those tags, which names the day's lines (a late object, a rewrite or a removal
 * gives another).
 */
export function dayObjects(localPath: (key: string) => string, day: Pick<RawDay, 'date' | 'keys'>): { held: HeldObject[]; digest: string } {
  const held = day.keys.flatMap((key) => heldObject(day.date, localPath(key)));
  const hash = createHash('sha256');
  for (const { tag } of held) hash.update(`${tag}\n`);
  return { held, digest: hash.digest('hex') };
}

/** A local NDJSON object tagged with what its file is now: a rewrite in place gives another inode, size or time. Nothing when it is gone. */
function heldObject(date: string, file: string): HeldObject[] {
  const seen = statSync(file, { throwIfNoEntry: false });
  return seen ? [{ date, file, tag: `${file}|${seen.ino}|${seen.size}|${seen.mtimeMs}` }] : [];
}

/** The ranges sorted, those that overlap or touch joined, empty ones dropped. */
function mergedRanges(ranges: ReadonlyArray<{ from: number; to: number }>): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  for (const { from, to } of [...ranges].filter((r) => r.from < r.to).sort((a, b) => a.from - b.from)) {
    const last = out.at(-1);
    if (last && from <= last.to) last.to = Math.max(last.to, to);
    else out.push({ from, to });
  }
  return out;
}

/** A step or goal condition over `e`: an event by name with property values, or a page path pattern (`*` = anything). */
export type EventCondition = { kind: 'event'; event: string; properties?: Record<string, string | number | boolean> } | { kind: 'page'; path: string };

/** `alias` qualifies the columns (`x.` for a joined copy of `e`). */
export function conditionSql(condition: EventCondition, alias = ''): string {
  const c = (column: string) => `${alias}${column}`;
  if (condition.kind === 'page') {
    const pattern = condition.path.replace(/[\\%_]/g, (ch) => `\\${ch}`).replaceAll('*', '%');
    return `(${c('type')} IN ('page', 'screen') AND ${c('path')} LIKE ${lit(pattern)} ESCAPE '\\')`;
  }
  const props = Object.entries(condition.properties ?? {}).map(
    ([name, value]) => `json_extract_string(${c('properties')}, ${lit(`$."${name}"`)}) = ${lit(String(value))}`,
  );
  return `(${c('type')} = 'track' AND ${c('event')} = ${lit(condition.event)}${props.map((p) => ` AND ${p}`).join('')})`;
}
