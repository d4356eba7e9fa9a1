import { randomUUID } from 'node:crypto';
import { realEngine } from '@shop/platform/testing';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { partitionFor, type EventLog } from '../../src/log/index.ts';
import { type SpeedLayer, createMemoryAggregateStore, createRedisAggregateStore, rebuildTenantSpeed, replaySpeedLayer, startSpeedLayer } from '../../src/speed/index.ts';
import { type AggregateStore, bucketStart } from '../../src/contracts/index.ts';
import { createMemoryEventLog } from './memory-event-log.ts';
import { removeKeys } from './redis-keys.ts';
import { bucketsOf, snapshotStore } from './store-snapshot.ts';
import { until } from './until.ts';
import { variedEvents } from './varied-events.fixture.ts';

const logger = pino({ level: 'silent' });
const NOW = Date.now();
const PARTITIONS = 4;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];
const PERSON = { tenantId: 'acme', userId: 'person-x', anonymousId: 'anon-person-x' };
const redis = await realEngine('redis');
const run = `test:rebuild:${randomUUID()}:`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  if (redis.available) await removeKeys(redis.url, `${run}*`);
});

/** An erasure list: a person's user and anonymous ids, per tenant. */
function erasureList() {
  const erased = new Set<string>();
  const matcher = (ids: Set<string>) => (e: AnalyticsEvent) =>
    ids.size > 0 && (ids.has(`${e.tenantId}/${e.userId ?? ''}`) || ids.has(`${e.tenantId}/${e.anonymousId ?? ''}`));
  return {
    erase: (p: typeof PERSON) => erased.add(`${p.tenantId}/${p.userId}`).add(`${p.tenantId}/${p.anonymousId}`),
    exclude: matcher(erased),
    /** What a process polling the list sees: stale until `sync` (like `watchErasures`). */
    follower() {
      const seen = new Set<string>();
      return { exclude: matcher(seen), sync: async () => erased.forEach((id) => seen.add(id)) };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const append = (log: EventLog, events: AnalyticsEvent[]) => log.append(events.map((value) => ({ key: value.tenantId, value })));
async function caughtUp(log: EventLog, store: AggregateStore) {
  const positions = await store.positions([...Array(PARTITIONS).keys()]);
  for (let p = 0; p < PARTITIONS; p++) if ((positions.get(p) ?? 0) !== (await log.bounds(p)).next) return false;
  return true;
}
/** Sum of a count metric over every quarter bucket: each counted event is in exactly one. */
async function quarterSum(store: AggregateStore, tenantId: string, metric: string, events: AnalyticsEvent[]) {
  const readings = await store.read({ tenantId, metric, kind: 'count', resolution: 'quarter', buckets: bucketsOf(events).quarter });
  return readings.reduce((sum, r) => sum + (r.total?.kind === 'count' ? r.total.amount : 0), 0);
}
/** Events of the `events` metric: human, with a readable time, not late on arrival. */
const countable = (e: AnalyticsEvent) =>
  !e.isBot && Number.isFinite(Date.parse(e.timestamp)) && bucketStart(Date.parse(e.timestamp), 'minute') + 49 * 3_600_000 > Date.parse(e.receivedAt);

const cases = [
  { name: 'in-process store', make: async () => createMemoryAggregateStore({ now: () => NOW }), skip: false },
  { name: 'Redis store', make: async () => createRedisAggregateStore(redis.url, { prefix: `${run}${randomUUID()}:` }), skip: !redis.available },
];

describe.each(cases)('rebuildTenantSpeed: $name', ({ make, skip }) => {
  const open = async () => {
    const store = await make();
    cleanups.push(() => store.close());
    return store;
  };
  const live = (options: Parameters<typeof startSpeedLayer>[0]): SpeedLayer => {
    const speed = startSpeedLayer(options);
    cleanups.push(() => speed.stop());
    return speed;
  };

  it.skipIf(skip)(
    "erases a person while the live layer keeps consuming and events keep arriving: equal to a fresh replay without the person's events",
    { timeout: 120_000 },
    async () => {
      const log = createMemoryEventLog(PARTITIONS);
      const store = await open();
      const list = erasureList();
      // A live layer whose writes take a while lags behind the log, so the purge lands mid-stream.
      const slow: AggregateStore = { ...store, applyBatch: async (batches) => (await sleep(15), store.applyBatch(batches)) };
      const speed = live({ log, store: slow, logger, now: () => NOW, flushMs: 20, maxBufferedEvents: 200, exclude: list.exclude });
      const events = variedEvents({ now: NOW, count: 5000, tenants: TENANTS, seed: 21, person: PERSON });
      await append(log, events.slice(0, 2000));
      await until('the live layer to catch up', () => caughtUp(log, store), 60_000);

      // Events keep arriving before, during and after the rebuild; the last 1,000 only once it is done.
      let appended = 2000;
      const gate: { rebuilt?: Promise<unknown> } = {};
      const arriving = (async () => {
        for (; appended < events.length; appended += 100) {
          if (appended === 4000) await gate.rebuilt;
          await append(log, events.slice(appended, appended + 100));
          await sleep(5);
        }
      })();
      await until('more events to arrive', () => appended >= 3000);
      list.erase(PERSON);
      const rebuilding = rebuildTenantSpeed({ log, store, tenantId: 'acme', exclude: list.exclude, now: () => NOW });
      gate.rebuilt = rebuilding.catch(() => undefined);
      const lag = (await log.bounds(partitionFor('acme', PARTITIONS))).next;
      const stats = await rebuilding;
      await arriving;
      await until('the live layer to consume the rest', () => caughtUp(log, store), 60_000);
      await speed.stop();

      const buckets = bucketsOf(events);
      const withoutPerson = await open();
      await replaySpeedLayer({ log, store: withoutPerson, logger, exclude: list.exclude });
      const withPerson = await open();
      await replaySpeedLayer({ log, store: withPerson, logger });
      const rebuilt = await snapshotStore(store, TENANTS, buckets);
      expect(rebuilt).toEqual(await snapshotStore(withoutPerson, TENANTS, buckets));

      const personal = events.filter((e) => e.tenantId === 'acme' && (e.userId === PERSON.userId || e.anonymousId === PERSON.anonymousId));
      expect(stats).toMatchObject({ tenantId: 'acme', partition: partitionFor('acme', PARTITIONS), from: 0 });
      // Everything consumed before the rebuild started is below the purge position, and the live layer was behind the log.
      expect(stats.to).toBeGreaterThanOrEqual(events.slice(0, 2000).filter((e) => partitionFor(e.tenantId, PARTITIONS) === stats.partition).length);
      expect(stats.to).toBeLessThan(lag);
      expect(stats.excluded).toBeGreaterThan(0);
      expect(stats.events).toBeGreaterThan(stats.excluded);

      // The person really was in the data, and only in acme's: every other tenant is as it was.
      expect(await quarterSum(withPerson, 'acme', 'events', events)).toBe(
        (await quarterSum(store, 'acme', 'events', events)) + personal.filter(countable).length,
      );
      expect(personal.filter(countable).length).toBeGreaterThan(10);
      const others = TENANTS.filter((t) => t !== 'acme');
      expect(Object.fromEntries(Object.entries(rebuilt).filter(([key]) => !key.startsWith('acme ')))).toEqual(await snapshotStore(withPerson, others, buckets));
      const usersOf = async (s: AggregateStore) => (await s.read({ tenantId: 'acme', metric: 'unique_users', kind: 'unique', resolution: 'quarter', buckets: buckets.quarter })).map((r) => r.total);
      expect(await usersOf(store)).not.toEqual(await usersOf(withPerson));
    },
  );

  it.skipIf(skip)("drops what the live layer had folded before the purge but not yet written, and reads it again under the synced list", async () => {
    const log = createMemoryEventLog(PARTITIONS);
    const store = await open();
    const list = erasureList();
    // The live layer's copy of the list is stale until it syncs: no timing is assumed.
    const view = list.follower();
    // Only the size threshold flushes, so the live layer holds its records until we push it over.
    const speed = live({ log, store, logger, now: () => NOW, flushMs: 600_000, maxBufferedEvents: 500, exclude: view.exclude, syncExclude: view.sync });
    const events = variedEvents({ now: NOW, count: 600, tenants: ['acme'], seed: 31, person: PERSON });
    await append(log, events.slice(0, 300));
    await until('the live layer to hold 300 records', () => speed.stats().events === 300);
    expect(await store.positions([0, 1, 2, 3])).toEqual(new Map());

    list.erase(PERSON);
    const stats = await rebuildTenantSpeed({ log, store, tenantId: 'acme', exclude: list.exclude });
    // Nothing was written yet, so there is nothing to rebuild: the live layer's flush must not bring the person back.
    expect(stats).toMatchObject({ from: 0, to: 0, events: 0, excluded: 0 });
    await append(log, events.slice(300));
    await until('the live layer to write everything', () => caughtUp(log, store));
    await speed.stop();

    const reference = await open();
    await replaySpeedLayer({ log, store: reference, logger, exclude: list.exclude });
    const buckets = bucketsOf(events);
    expect(await snapshotStore(store, ['acme'], buckets)).toEqual(await snapshotStore(reference, ['acme'], buckets));
    expect(events.filter((e) => list.exclude(e) && countable(e)).length).toBeGreaterThan(0);
    expect(speed.stats().conflicts).toBe(1);
  });
});
