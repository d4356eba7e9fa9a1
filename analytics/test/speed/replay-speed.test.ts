import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realEngine } from '@shop/platform/testing';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { createFileLog, type EventLog } from '../../src/log/index.ts';
import { type SpeedLayer, createMemoryAggregateStore, createRedisAggregateStore, replaySpeedLayer, startSpeedLayer } from '../../src/speed/index.ts';
import type { AggregateStore, BatchOutcome } from '../../src/contracts/index.ts';
import { createMemoryEventLog } from './memory-event-log.ts';
import { removeKeys } from './redis-keys.ts';
import { bucketsOf, snapshotStore } from './store-snapshot.ts';
import { until } from './until.ts';
import { topKBurst, variedEvents } from './varied-events.fixture.ts';

const logger = pino({ level: 'silent' });
const NOW = Date.now();
const DAY = 24 * 3_600_000;
const PARTITIONS = 4;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];
const redis = await realEngine('redis');
const run = `test:replay:${randomUUID()}:`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  if (redis.available) await removeKeys(redis.url, `${run}*`);
});

type Make<T> = () => Promise<T>;
const memoryStore: Make<AggregateStore> = async () => createMemoryAggregateStore({ now: () => NOW });
const redisStore: Make<AggregateStore> = async () => createRedisAggregateStore(redis.url, { prefix: `${run}${randomUUID()}:` });
const memoryLog: Make<EventLog> = async () => createMemoryEventLog(PARTITIONS);
const fileLog: Make<EventLog> = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'speed-replay-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return createFileLog({ dir, partitions: PARTITIONS });
};

async function caughtUp(log: EventLog, store: AggregateStore) {
  const positions = await store.positions([...Array(PARTITIONS).keys()]);
  for (let p = 0; p < PARTITIONS; p++) if ((positions.get(p) ?? 0) !== (await log.bounds(p)).next) return false;
  return true;
}

/** Two live members consume while the events arrive in chunks; small flushes, so their boundaries differ from a replay's. */
async function liveRun(log: EventLog, store: AggregateStore, events: AnalyticsEvent[]) {
  const members: SpeedLayer[] = [0, 1].map((index) =>
    startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 20, maxBufferedEvents: 150, members: { index, count: 2 } }),
  );
  cleanups.push(() => Promise.all(members.map((m) => m.stop())));
  for (let i = 0; i < events.length; i += 400) {
    await log.append(events.slice(i, i + 400).map((value) => ({ key: value.tenantId, value })));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await until('the live layer to consume the log', () => caughtUp(log, store), 60_000);
  await Promise.all(members.map((m) => m.stop()));
}

function outcomesOf(store: AggregateStore): { store: AggregateStore; outcomes: BatchOutcome[] } {
  const outcomes: BatchOutcome[] = [];
  return {
    outcomes,
    store: { ...store, applyBatch: async (batches) => (await store.applyBatch(batches)).map((o) => (outcomes.push(o), o)) },
  };
}

const cases = [
  { name: 'memory log, in-process store', log: memoryLog, store: memoryStore, skip: false },
  { name: 'memory log, Redis store', log: memoryLog, store: redisStore, skip: !redis.available },
  { name: 'file log, Redis store', log: fileLog, store: redisStore, skip: !redis.available },
];

describe.each(cases)('replaySpeedLayer: $name', ({ log: makeLog, store: makeStore, skip }) => {
  it.skipIf(skip)('deletes everything derived, replays the log and answers every query exactly as the live run did', { timeout: 120_000 }, async () => {
    const log = await makeLog();
    cleanups.push(() => log.close());
    const store = await makeStore();
    cleanups.push(() => store.close());
    const events = variedEvents({ now: NOW, count: 4000, tenants: TENANTS, seed: 7 });
    events.splice(2000, 0, ...topKBurst('acme', NOW - 30 * 60_000, 1100));
    await liveRun(log, store, events);

    const buckets = bucketsOf(events);
    const live = await snapshotStore(store, TENANTS, buckets);
    const livePositions = await store.positions([...Array(PARTITIONS).keys()]);
    // The data is as varied as claimed: late, rejected, revenue, sketches, a top-K cell past its capacity.
    const acme = live['acme status'] as { late: number; rejected: number };
    expect(acme.late).toBeGreaterThan(0);
    expect(acme.rejected).toBeGreaterThan(0);
    expect(Object.keys(live).filter((k) => k.startsWith('acme revenue')).length).toBeGreaterThan(1);
    expect(Object.keys(live).some((k) => k === 'acme unique_sessions minute context.campaign.source')).toBe(true);
    const burst = (live['acme top_pages minute total'] as [number, { other: number }][]).find(([, top]) => top.other > 0);
    expect(burst?.[1].other).toBeGreaterThan(0);

    // In place (clear, then replay) and, as a cross-check, into a store that never saw the live run.
    const counted = outcomesOf(store);
    const stats = await replaySpeedLayer({ log, store: counted.store, logger, now: () => NOW + 3 * DAY });
    expect(stats).toMatchObject({ events: events.length, excluded: 0, partitions: PARTITIONS });
    // Partitions no tenant maps to end at 0 and never get a stored position.
    expect(new Map([...stats.positions].filter(([, next]) => next > 0))).toEqual(livePositions);
    expect(counted.outcomes.length).toBeGreaterThan(0);
    expect(counted.outcomes.every((o) => o === 'applied')).toBe(true);
    expect(await store.positions([...Array(PARTITIONS).keys()])).toEqual(livePositions);
    expect(await snapshotStore(store, TENANTS, buckets)).toEqual(live);

    if (makeStore !== memoryStore) return; // the in-place replay above is the costlier Redis check already
    const fresh = await makeStore();
    cleanups.push(() => fresh.close());
    await replaySpeedLayer({ log, store: fresh, logger, maxBufferedEvents: 777 });
    expect(await snapshotStore(fresh, TENANTS, buckets)).toEqual(live);
  });
});

describe('replaySpeedLayer bounds', () => {
  it('stops at the end the log had when it began, and a live layer started afterwards carries on from there', async () => {
    const log = createMemoryEventLog(2);
    const store = createMemoryAggregateStore({ now: () => NOW });
    const first = variedEvents({ now: NOW, count: 300, tenants: TENANTS, seed: 11 });
    const later = variedEvents({ now: NOW, count: 200, tenants: TENANTS, seed: 12 });
    await log.append(first.map((value) => ({ key: value.tenantId, value })));
    let appended = false;
    // Records that arrive while the replay runs belong to the live layer that follows it.
    const racing: EventLog = {
      ...log,
      read: async (partition, from, options) => {
        if (!appended) {
          appended = true;
          await log.append(later.map((value) => ({ key: value.tenantId, value })));
        }
        return log.read(partition, from, options);
      },
    };
    const stats = await replaySpeedLayer({ log: racing, store, logger });
    expect(appended).toBe(true);
    expect(stats.events).toBe(first.length);
    expect([...stats.positions.values()].reduce((a, b) => a + b, 0)).toBe(first.length);
    expect(await store.positions([0, 1])).toEqual(stats.positions);

    const speed = startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 20 });
    cleanups.push(() => speed.stop());
    await until('the live layer to take over', async () => speed.stats().events === later.length);
    await speed.stop();
    const reference = createMemoryAggregateStore({ now: () => NOW });
    await replaySpeedLayer({ log, store: reference, logger });
    const buckets = bucketsOf([...first, ...later]);
    expect(await snapshotStore(store, TENANTS, buckets)).toEqual(await snapshotStore(reference, TENANTS, buckets));
  });
});
