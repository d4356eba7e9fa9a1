import { lit } from './metric-sql.ts';
import { DAY_MS, periodAt } from './layout.ts';
import type { LakeStore } from './lake-store.ts';
import { copyFile, defaultCacheDir, pinCopy, pinDirectory, questionDirectory, rawFiles, readRawDays } from './raw-read.ts';

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
 * the answer is as fresh as the archiver's last flush. Duplicates are dropped within a UTC day of
 * a copy and across the NDJSON days. A local lake's NDJSON is read in place; any other store
 * through its port: copies into a cache named by their digest, NDJSON into a directory `release`
 * removes. Each copy is read through a hard link of the question's own (`release` removes them),
 * so a replay or rebuild deleting or rewriting copies meanwhile does not fail the question.
 */
export async function rawEventsSql(lake: LakeStore, tenantId: string, from: number, to: number, options: { cacheDir?: string } = {}): Promise<RawEventsSource | null> {
  return rawEventsOver(lake, tenantId, [{ from, to }], options);
}

/**
 * `rawEventsSql` over several ranges at once (a period and the one it is compared with): each
 * day any range touches is listed and read once, and the events of every range come out of one
 * SELECT, so one statement answers them all. The days between two distant ranges are not read.
 */
export async function rawEventsOver(lake: LakeStore, tenantId: string, ranges: ReadonlyArray<{ from: number; to: number }>, options: { cacheDir?: string } = {}): Promise<RawEventsSource | null> {
  const spans = mergedRanges(ranges);
  const dates = new Set<string>();
  for (const { from, to } of spans) for (let day = periodAt(from).start; day < to; day += DAY_MS) dates.add(new Date(day).toISOString().slice(0, 10));
  const days = await readRawDays(lake, tenantId, [...dates].sort());
  const files = days.reduce((n, d) => n + d.objects, 0);
  if (files === 0) return null;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const download = lake.localPath ? null : await questionDirectory(cacheDir);
  const pins = days.some((d) => d.copy) ? (download ?? (await pinDirectory(lake, cacheDir))) : null;
  const release = async () => {
    for (const dir of new Set([download, pins])) await dir?.release();
  };
  try {
    const copies: string[] = [];
    const ndjson: string[] = [];
    for (const day of days) {
      const stored = day.copy ? await copyFile(lake, tenantId, day.date, day.copy, cacheDir) : null;
      // Pinned, so a replay or rebuild replacing or deleting the copy from now on cannot fail the read.
      const copy = stored && pins ? await pinCopy(stored, pins.path, day.date) : null;
      if (copy) copies.push(copy);
      else ndjson.push(...(await rawFiles(lake, day.keys, download?.path ?? null)));
    }
    const parts: string[] = [];
    if (copies.length) {
      parts.push(`SELECT messageId, type, event, userId, anonymousId, ts_ms, rcv_ms, properties, context, dimensions
        FROM read_parquet([${copies.map(lit).join(', ')}]) WHERE first AND isBot = false`);
    }
    if (ndjson.length) {
      const columns = `{tenantId: 'VARCHAR', messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR', timestamp: 'VARCHAR', receivedAt: 'VARCHAR', isBot: 'BOOLEAN', properties: 'JSON', context: 'JSON', dimensions: 'JSON'}`;
      parts.push(`SELECT messageId, type, event, userId, anonymousId, ts_ms, rcv_ms, properties, context, dimensions FROM (
          SELECT *, row_number() OVER (PARTITION BY messageId ORDER BY rcv_ms) AS copy
          FROM (SELECT *, epoch_ms(try_cast("timestamp" AS TIMESTAMPTZ)) AS ts_ms, epoch_ms(try_cast(receivedAt AS TIMESTAMPTZ)) AS rcv_ms
            FROM read_json([${ndjson.map(lit).join(', ')}], format = 'newline_delimited', columns = ${columns}))
          WHERE tenantId = ${lit(tenantId)} AND isBot = false)
        WHERE copy = 1`);
    }
    const sql = `SELECT ${RAW_EVENT_COLUMNS} FROM (
        SELECT messageId, type, event, coalesce(nullif(anonymousId, ''), nullif(userId, '')) AS visitor,
          coalesce(nullif(userId, ''), nullif(anonymousId, '')) AS person, ts_ms, rcv_ms,
          coalesce(nullif(json_extract_string(context, '$.page.path'), ''), nullif(json_extract_string(properties, '$.path'), '')) AS path, properties, context, dimensions
        FROM (${parts.join('\n        UNION ALL\n        ')})
        WHERE ${spans.map(({ from, to }) => `(ts_ms >= ${Math.floor(from)} AND ts_ms < ${Math.floor(to)})`).join(' OR ')})
      WHERE rcv_ms IS NOT NULL AND visitor IS NOT NULL`;
    return { sql, files, copies: copies.length, release };
  } catch (error) {
    await release();
    throw error;
  }
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
