import { encodeRawObjects } from '../../src/archive/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { partitionFor, type LogRecord } from '../../src/log/index.ts';
import type { ObjectStore } from '../../src/storage/index.ts';
import { generateEvents } from '../batch/batch.fixture.ts';

export const TENANT = 'acme';
export const OTHER_TENANT = 'globex';
export const PARTITIONS = 4;

/**
 * The person to erase, in acme: user `p-user`, later aliased to `p-user-new`; devices `p-anon-1`
 * (pages before logging in, then an identify), `p-anon-2` (an event carrying both ids) and
 * `p-anon-3` (joined by an alias from it to the user). Ids are chosen so no generated id contains them.
 */
export const PERSON = { userId: 'p-user', aliasedUserId: 'p-user-new', anonymousIds: ['p-anon-1', 'p-anon-2', 'p-anon-3'] } as const;
export const PERSON_IDS: readonly string[] = [PERSON.userId, PERSON.aliasedUserId, ...PERSON.anonymousIds];

let sequence = 0;
function event(at: string, fields: Partial<AnalyticsEvent>): AnalyticsEvent {
  return {
    tenantId: TENANT,
    messageId: `person-${++sequence}`,
    type: 'page',
    timestamp: at,
    receivedAt: at,
    properties: {},
    context: { page: { path: '/shoes', referrer: 'https://t.co/' }, campaign: { source: 'newsletter' }, sessionId: `ps-${sequence % 3}` },
    isBot: false,
    ...fields,
  };
}

/** The person's events over 2026-03-09..12 UTC; the one at 23:40 on the 11th is alone in its hour. */
export function personEvents(): AnalyticsEvent[] {
  const [a1, a2, a3] = PERSON.anonymousIds;
  const u = PERSON.userId;
  return [
    event('2026-03-09T08:00:00.000Z', { anonymousId: a1 }),
    event('2026-03-09T08:05:00.000Z', { anonymousId: a1 }),
    event('2026-03-09T08:06:00.000Z', { type: 'identify', userId: u, anonymousId: a1, traits: { email: 'p@example.com' } }),
    event('2026-03-09T08:10:00.000Z', { type: 'track', event: 'Order Completed', userId: u, properties: { revenue: 99.5, category: 'shoes' } }),
    event('2026-03-10T12:00:00.000Z', { anonymousId: a2 }),
    event('2026-03-10T12:01:00.000Z', { type: 'track', event: 'Added To Cart', userId: u, anonymousId: a2 }),
    event('2026-03-10T23:59:00.000Z', { userId: u }),
    event('2026-03-11T09:00:00.000Z', { anonymousId: a3 }),
    event('2026-03-11T09:02:00.000Z', { type: 'alias', previousId: a3, userId: u, context: {} }),
    event('2026-03-11T10:00:00.000Z', { type: 'alias', previousId: u, userId: PERSON.aliasedUserId, context: {} }),
    event('2026-03-11T10:30:00.000Z', { type: 'track', event: 'Order Completed', userId: PERSON.aliasedUserId, properties: { revenue: '12.00' } }),
    event('2026-03-11T23:40:00.000Z', { userId: PERSON.aliasedUserId }),
    event('2026-03-12T02:00:00.000Z', { userId: u }),
  ];
}

/** True for an event of the person (what an erasure of `p-user` must remove). */
export const isPersons = (e: AnalyticsEvent): boolean =>
  e.tenantId === TENANT && [e.userId, e.anonymousId, e.previousId].some((id) => id !== undefined && PERSON_IDS.includes(id));

/**
 * Everyone's events in log order (by receive time): the person, other acme users over
 * 2026-03-09T00:00..03-11T22:00 and 03-12T00:00..06:00, and globex, which also has a user named `p-user`.
 */
export function dataset(): AnalyticsEvent[] {
  const globex = generateEvents(OTHER_TENANT, 300, '2026-03-09T00:00:00Z', '2026-03-12T00:00:00Z', 22, 60_000);
  globex.slice(0, 20).forEach((e) => (e.userId = PERSON.userId));
  const acme = generateEvents(TENANT, 1200, '2026-03-09T00:00:00Z', '2026-03-11T22:00:00Z', 21, 60_000);
  // Multi-byte text and a line separator: a rewrite must keep such lines byte for byte.
  acme.filter((_, i) => i % 5 === 0).forEach((e) => (e.properties.note = 'ünïcødé ✓ \u2028 🎉'));
  const all = [
    ...personEvents(),
    ...acme,
    ...generateEvents(TENANT, 100, '2026-03-12T00:00:00Z', '2026-03-12T06:00:00Z', 23, 60_000),
    ...globex,
  ];
  return all.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.messageId < b.messageId ? -1 : 1));
}

/** Writes `events` as the archiver would: per partition in log order, flushes of `perFlush` records. */
export async function writeArchived(store: ObjectStore, events: readonly AnalyticsEvent[], perFlush = 100): Promise<void> {
  const byPartition = new Map<number, LogRecord[]>();
  for (const value of events) {
    const partition = partitionFor(value.tenantId, PARTITIONS);
    let records = byPartition.get(partition);
    if (!records) byPartition.set(partition, (records = []));
    records.push({ partition, offset: records.length, key: value.tenantId, value });
  }
  for (const [partition, records] of byPartition) {
    for (let from = 0; from < records.length; from += perFlush) {
      const chunk = records.slice(from, from + perFlush);
      for (const o of encodeRawObjects(partition, from, from + chunk.length, chunk)) await store.put(o.key, o.body);
    }
  }
}

/** Every object under `prefix` with its bytes. */
export async function snapshot(store: ObjectStore, prefix = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const key of await store.list(prefix)) out.set(key, Buffer.from((await store.get(key))!));
  return out;
}

/** `key: id` for each object of the store that contains one of `ids` as a JSON string. */
export async function grep(store: ObjectStore, ids: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [key, bytes] of await snapshot(store)) {
    for (const id of ids) if (bytes.includes(JSON.stringify(id)) || bytes.includes(id)) found.push(`${key}: ${id}`);
  }
  return found;
}

export interface StoreWrites {
  puts: string[];
  deletes: string[];
}

/** `inner` with its writes recorded, and a put or delete that fails when `fail` says so (a crash stand-in); `fail` runs before the write. */
export function recordingStore(inner: ObjectStore, fail: (op: 'put' | 'delete', key: string) => boolean | Promise<boolean> = () => false): ObjectStore & StoreWrites {
  const puts: string[] = [];
  const deletes: string[] = [];
  const store = Object.assign(Object.create(inner) as ObjectStore, {
    puts,
    deletes,
    async put(key: string, body: Uint8Array | string) {
      if (await fail('put', key)) throw new Error(`injected failure: put ${key}`);
      puts.push(key);
      await inner.put(key, body);
    },
    async delete(key: string) {
      if (await fail('delete', key)) throw new Error(`injected failure: delete ${key}`);
      deletes.push(key);
      await inner.delete(key);
    },
  });
  return store;
}
