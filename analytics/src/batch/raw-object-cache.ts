import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from './metric-sql.ts';

/*
 * The NDJSON objects a connection's questions read (today's, and the days no copy stands for),
 * held in one temporary table of that connection, each object's lines under a tag naming the
 * file as it is now (its path, inode, size and modification time). An object is immutable once
 * the archiver has put it; a rewrite (an erasure removing lines, the archiver's own rewrite) puts
 * a new file under the same key, so it has another tag and is read again, and the old tag's rows
 * are dropped by the next question reading that day. Duplicates are still ranked at question
 * time, within each UTC day, as the NDJSON read ranks them.
 */
const TABLE = 'raw_object_cache';

/** Lines held per connection: a few busy days of a few tenants. Past it, objects no question is reading go. */
export const MAX_OBJECT_ROWS = 500_000;

/** One local NDJSON object as a question reads it: the file and the tag naming its present content. */
export interface HeldObject {
  date: string;
  file: string;
  tag: string;
}

export interface ObjectState {
  objects: Map<string, { tenantId: string; date: string; rows: number }>;
  rows: number;
  created: boolean;
}

export const objectState = (): ObjectState => ({ objects: new Map(), rows: 0, created: false });

/** The raw read's NDJSON columns before ranking (what `read_json` gives with times in ms). */
export const NDJSON_COLUMNS = 'messageId, type, event, userId, anonymousId, isBot, ts_ms, rcv_ms, properties, context, dimensions';

/** The fields of a raw NDJSON line the raw read takes, as `read_json` types them. */
export const NDJSON_SCHEMA = `{tenantId: 'VARCHAR', messageId: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', userId: 'VARCHAR', anonymousId: 'VARCHAR', timestamp: 'VARCHAR', receivedAt: 'VARCHAR', isBot: 'BOOLEAN', properties: 'JSON', context: 'JSON', dimensions: 'JSON'}`;

/**
 * Holds `objects` of one tenant (loading those not held under their tag, dropping held objects of
 * the same days listed no more or under another tag) and returns a SELECT of their lines in
 * COLUMNS, or null when there are none. Runs while the caller holds the connection's tables.
 */
export async function holdObjects(connection: DuckDBConnection, state: ObjectState, tenantId: string, objects: readonly HeldObject[]): Promise<string | null> {
  if (!objects.length) return null;
  if (!state.created) {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${TABLE} (tenant VARCHAR, date VARCHAR, tag VARCHAR, messageId VARCHAR, type VARCHAR, event VARCHAR, userId VARCHAR,
      anonymousId VARCHAR, isBot BOOLEAN, ts_ms BIGINT, rcv_ms BIGINT, properties JSON, context JSON, dimensions JSON)`);
    state.created = true;
  }
  const dates = new Set(objects.map((o) => o.date));
  const wanted = new Set(objects.map((o) => o.tag));
  const gone = [...state.objects].filter(([tag, held]) => !wanted.has(tag) && ((held.tenantId === tenantId && dates.has(held.date)) || state.rows > MAX_OBJECT_ROWS));
  if (gone.length) {
    await connection.run(`DELETE FROM ${TABLE} WHERE tag IN (${gone.map(([tag]) => lit(tag)).join(', ')})`);
    for (const [tag, held] of gone) {
      state.objects.delete(tag);
      state.rows -= held.rows;
    }
  }
  const missing = objects.filter((o) => !state.objects.has(o.tag));
  if (missing.length) {
    const inserted = await connection.run(`INSERT INTO ${TABLE} SELECT ${lit(tenantId)}, o.date, o.tag, messageId, type, event, userId, anonymousId, isBot,
        epoch_ms(try_cast("timestamp" AS TIMESTAMPTZ)), epoch_ms(try_cast(receivedAt AS TIMESTAMPTZ)), properties, context, dimensions
      FROM read_json([${missing.map((o) => lit(o.file)).join(', ')}], format = 'newline_delimited', filename = true, columns = ${NDJSON_SCHEMA}) j
      JOIN (VALUES ${missing.map((o) => `(${lit(o.file)}, ${lit(o.date)}, ${lit(o.tag)})`).join(', ')}) o(file, date, tag) ON j.filename = o.file
      WHERE tenantId = ${lit(tenantId)}`);
    // The rows a load added, shared among its objects: what the bound counts, without another statement per question.
    const rows = inserted.rowsChanged / missing.length;
    for (const o of missing) state.objects.set(o.tag, { tenantId, date: o.date, rows });
    state.rows += inserted.rowsChanged;
  }
  return `SELECT ${NDJSON_COLUMNS} FROM ${TABLE} WHERE tag IN (${objects.map((o) => lit(o.tag)).join(', ')})`;
}
