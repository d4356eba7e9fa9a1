import { lit } from './metric-sql.ts';
import { DAY_MS, periodAt } from './layout.ts';
import type { LakeStore } from './lake-store.ts';
import { dayRawKeys } from './raw-manifest.ts';

/** The per-event columns goal, funnel and retention queries read: `e` in their SQL. */
export const RAW_EVENT_COLUMNS = 'messageId, type, event, visitor, person, ts_ms, rcv_ms, path, properties, context, dimensions';

/**
 * A SELECT of one tenant's human events in [from, to) straight from the raw store: each
 * messageId once (its first receipt), the visitor as visits count it (anonymousId, else userId),
 * the person as unique_users counts them (userId, else anonymousId), the page path
 * (context.page.path, else properties.path), and the properties, context and ingest dimensions as JSON. Null when
 * the range has no raw objects. Reads the lake's files in place, so it needs a local lake.
 */
export async function rawEventsSql(lake: LakeStore, tenantId: string, from: number, to: number): Promise<{ sql: string; files: number } | null> {
  if (!lake.localPath) throw new Error('Event queries read the raw objects in place: the lake must be a local directory');
  const files: string[] = [];
  for (let day = periodAt(from).start; day < to; day += DAY_MS) {
    const date = new Date(day).toISOString().slice(0, 10);
    for (const key of await dayRawKeys(lake, tenantId, date)) files.push(lake.localPath(key));
  }
  if (files.length === 0) return null;
  const columns = `{tenantId: 'VARCHAR', messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR', timestamp: 'VARCHAR', receivedAt: 'VARCHAR', isBot: 'BOOLEAN', properties: 'JSON', context: 'JSON', dimensions: 'JSON'}`;
  const sql = `SELECT ${RAW_EVENT_COLUMNS} FROM (
      SELECT messageId, type, event, coalesce(nullif(anonymousId, ''), nullif(userId, '')) AS visitor,
        coalesce(nullif(userId, ''), nullif(anonymousId, '')) AS person, ts_ms, rcv_ms,
        coalesce(nullif(json_extract_string(context, '$.page.path'), ''), nullif(json_extract_string(properties, '$.path'), '')) AS path, properties, context, dimensions,
        row_number() OVER (PARTITION BY messageId ORDER BY rcv_ms) AS copy
      FROM (SELECT *, epoch_ms(try_cast("timestamp" AS TIMESTAMPTZ)) AS ts_ms, epoch_ms(try_cast(receivedAt AS TIMESTAMPTZ)) AS rcv_ms
        FROM read_json([${files.map(lit).join(', ')}], format = 'newline_delimited', columns = ${columns}))
      WHERE tenantId = ${lit(tenantId)} AND isBot = false)
    WHERE copy = 1 AND ts_ms >= ${Math.floor(from)} AND ts_ms < ${Math.floor(to)} AND rcv_ms IS NOT NULL AND visitor IS NOT NULL`;
  return { sql, files: files.length };
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
