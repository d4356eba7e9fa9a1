import type { AnalyticsEvent } from '../contracts/index.ts';
import type { LogRecord } from '../log/index.ts';

/*
 * The raw store's layout: a CONTRACT with the batch job, which reads these files.
 *
 *   raw/tenant=<tenantId>/date=<YYYY-MM-DD>/hour=<HH>/p<partition>-<from>-<to>.ndjson
 *
 * date/hour: UTC of the event's corrected `timestamp`. from/to: the log offsets [from, to) of
 * the flush that wrote the object, zero-padded to 12 digits so names sort. Content: one JSON
 * AnalyticsEvent per line, in log order, UTF-8, each line ending in "\n". A flush spanning
 * several tenants/hours writes one object per (tenant, date, hour), all with the same name.
 * The same records always encode to the same bytes, so a retried flush rewrites identical files.
 * A flush that left erased records out also writes `p<partition>-<from>-<to>.rewritten` markers
 * (see rewriteMarkerKey); readers of events take `.ndjson` only.
 */
export const RAW_PREFIX = 'raw/';
const OFFSET_DIGITS = 12;
// toISOString leaves the YYYY-MM-DD shape outside years 0000-9999.
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export interface RawPartition {
  tenantId: string;
  /** YYYY-MM-DD, UTC */
  date: string;
  /** 00-23, UTC */
  hour: string;
}

export interface RawObjectName extends RawPartition {
  partition: number;
  from: number;
  to: number;
}

const pad = (offset: number): string => String(offset).padStart(OFFSET_DIGITS, '0');

// What the collector writes: ISO 8601 in UTC with a Z, whose date and hour can be sliced off.
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** The (tenant, date, hour) directory an event belongs to; `receivedAt` stands in for an unreadable `timestamp`. */
export function rawPartitionOf(event: AnalyticsEvent): RawPartition {
  const stamp = event.timestamp;
  if (UTC_ISO.test(stamp) && stamp.slice(11, 13) < '24' && Number.isFinite(Date.parse(stamp))) {
    return { tenantId: event.tenantId, date: stamp.slice(0, 10), hour: stamp.slice(11, 13) };
  }
  let time = Date.parse(event.timestamp);
  if (!Number.isFinite(time)) time = Date.parse(event.receivedAt);
  if (!Number.isFinite(time)) time = 0;
  const iso = new Date(Math.min(Math.max(time, 0), MAX_TIME)).toISOString();
  return { tenantId: event.tenantId, date: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

export function rawObjectKey(name: RawObjectName): string {
  // Tenant ids are slugs; encoding only guards the path against anything else.
  const tenant = encodeURIComponent(name.tenantId);
  return `${RAW_PREFIX}tenant=${tenant}/date=${name.date}/hour=${name.hour}/p${name.partition}-${pad(name.from)}-${pad(name.to)}.ndjson`;
}

/**
 * Written next to the objects of a flush that left erased records out, after those objects: the
 * batch counts these keys in a day's manifest (batch/raw-manifest.ts), so a view computed from
 * the objects before they lost the records is recomputed. Never read as events.
 */
export function rewriteMarkerKey(name: RawObjectName): string {
  return rawObjectKey(name).replace(/\.ndjson$/, '.rewritten');
}

const KEY_PATTERN = /^raw\/tenant=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/p(\d+)-(\d{12,})-(\d{12,})\.ndjson$/;

/** The parts of a raw object key, or null for any other key. */
export function parseRawObjectKey(key: string): RawObjectName | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, tenant, date, hour, partition, from, to] = match as unknown as [string, string, string, string, string, string, string];
  return { tenantId: decodeURIComponent(tenant), date, hour, partition: Number(partition), from: Number(from), to: Number(to) };
}

/**
 * The objects one flush writes: records of `partition` covering offsets [from, to), grouped by
 * (tenant, date, hour), each object's lines in log order. Returned sorted by key. A line is the
 * record's `jsonBytes` when the log gave them (the file log's frame bytes: copied once into the
 * body, never decoded and encoded again), else `JSON.stringify` of its value: the same bytes.
 */
export function encodeRawObjects(partition: number, from: number, to: number, records: readonly LogRecord[]): { key: string; body: Buffer }[] {
  const groups = new Map<string, { where: RawPartition; lines: Uint8Array[]; bytes: number }>();
  for (const record of records) {
    const where = rawPartitionOf(record.value);
    const id = `${where.tenantId}\0${where.date}\0${where.hour}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { where, lines: [], bytes: 0 }));
    const line = record.jsonBytes ?? Buffer.from(JSON.stringify(record.value));
    group.lines.push(line);
    group.bytes += line.length + 1;
  }
  return [...groups.values()]
    .map(({ where, lines, bytes }) => ({ key: rawObjectKey({ ...where, partition, from, to }), body: joinLines(lines, bytes) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Each line followed by "\n", in one buffer of `bytes` (the lines' lengths plus one each). */
function joinLines(lines: readonly Uint8Array[], bytes: number): Buffer {
  const body = Buffer.allocUnsafe(bytes);
  let pos = 0;
  for (const line of lines) {
    body.set(line, pos);
    pos += line.length;
    body[pos++] = 0x0a;
  }
  return body;
}
