import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import type { AppendRecord, EventLog } from '../../src/log/index.ts';
import { parseRawObjectKey, rawPartitionOf, readPosition, type RawObjectName } from '../../src/archive/index.ts';
import type { ObjectStore } from '../../src/storage/index.ts';

export const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
const START = Date.UTC(2026, 10, 25, 22, 0, 0);

/** Event `i`: tenants round-robin, times spread over 3 hours across midnight UTC (two dates). */
export function archiveEvent(i: number, tag = 'e'): AnalyticsEvent {
  const time = new Date(START + ((i * 7919) % (3 * 3600)) * 1000).toISOString();
  return {
    tenantId: TENANTS[i % TENANTS.length]!,
    messageId: `${tag}-${i}`,
    type: 'track',
    event: 'Order Completed',
    userId: `u-${i % 17}`,
    timestamp: time,
    receivedAt: time,
    properties: { total: i, note: 'ünïcødé ✓' },
    context: { ip: '203.0.113.7' },
    isBot: false,
  };
}

export const archiveRecords = (from: number, count: number, tag = 'e'): AppendRecord[] =>
  Array.from({ length: count }, (_, k) => {
    const value = archiveEvent(from + k, tag);
    return { key: value.tenantId, value };
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every partition's stored position has reached the log's end. A failed read counts
 * as "not yet": s3rver rewrites objects in place, so a poll racing a position put can be cut short.
 */
export async function waitArchived(store: ObjectStore, log: EventLog, partitions = log.partitions): Promise<void> {
  for (;;) {
    let done = true;
    for (let p = 0; p < partitions; p++) {
      const { next } = await log.bounds(p);
      const position = await readPosition(store, p).catch(() => -1);
      if ((position ?? 0) < next) done = false;
    }
    if (done) return;
    await sleep(20);
  }
}

export interface RawLine {
  key: string;
  name: RawObjectName;
  event: AnalyticsEvent;
}

/** Every line of every raw object, checking each object's framing and directory on the way. */
export async function readRaw(store: ObjectStore): Promise<{ objects: Map<string, Buffer>; lines: RawLine[] }> {
  const objects = new Map<string, Buffer>();
  const lines: RawLine[] = [];
  for (const key of await store.list('raw/')) {
    if (key.endsWith('.rewritten')) continue; // the archiver's rewrite markers: part of the layout, not events
    const name = parseRawObjectKey(key);
    if (!name) throw new Error(`unexpected key in raw/: ${key}`);
    const body = Buffer.from((await store.get(key))!);
    objects.set(key, body);
    const text = body.toString('utf8');
    if (!text.endsWith('\n')) throw new Error(`${key} does not end with a newline`);
    for (const line of text.slice(0, -1).split('\n')) {
      const event = JSON.parse(line) as AnalyticsEvent;
      const where = rawPartitionOf(event);
      if (where.tenantId !== name.tenantId || where.date !== name.date || where.hour !== name.hour) {
        throw new Error(`${event.messageId} (${JSON.stringify(where)}) is in ${key}`);
      }
      lines.push({ key, name, event });
    }
  }
  return { objects, lines };
}
