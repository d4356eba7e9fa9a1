import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { createMemoryBatchViews, type MemoryBatchViews } from '../../src/serving/index.ts';
import type { AggregateStore } from '../../src/contracts/aggregate-store.ts';
import type { GoalDefinition } from '../../src/contracts/index.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { createRedisAggregateStore } from '../../src/speed/redis-aggregate-store.ts';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { realEngine } from '@shop/platform/testing';
import { afterAll, beforeAll } from 'vitest';
import { createBatchViewStore, type BatchViewStore } from '../../src/batch/index.ts';
import { removeKeys } from '../speed/redis-keys.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from '../../src/batch/index.ts';
import { writeRaw } from '../batch/batch.fixture.ts';
import { PartitionBuffer } from '../../src/speed/partition-buffer.ts';

export const QUARTER = 15 * 60_000;

/** The speed layer's fold (both resolutions) for `events`, as one batch's cells. */
export function fold(events: readonly AnalyticsEvent[], now: number, from = 0) {
  const buffer = new PartitionBuffer(0, from, METRICS, Number.MAX_SAFE_INTEGER / 4);
  events.forEach((event, i) => buffer.add(from + i, event, now));
  return buffer.toBatch();
}

/** A speed store and batch views on one clock, fed through the same fold the speed layer uses. */
export function layers(now: number) {
  const speed: AggregateStore = createMemoryAggregateStore({ now: () => now });
  const batch: MemoryBatchViews = createMemoryBatchViews();
  let offset = 0;
  const toSpeed = async (events: readonly AnalyticsEvent[]) => {
    const batchOfCells = fold(events, now, offset);
    offset = batchOfCells.to;
    await speed.applyBatch([batchOfCells]);
  };
  const toBatch = async (events: readonly AnalyticsEvent[]) => {
    await batch.apply(fold(events, now).cells);
  };
  return {
    speed,
    batch,
    toSpeed,
    toBatch,
    /** Events in quarters ending at or before `watermark` go to the batch, the rest to the speed layer. */
    async split(events: readonly AnalyticsEvent[], watermark: number, tenantId = 'acme') {
      const before = (e: AnalyticsEvent) => Math.floor(Date.parse(e.timestamp) / QUARTER) * QUARTER + QUARTER <= watermark;
      await toBatch(events.filter(before));
      await toSpeed(events.filter((e) => !before(e)));
      batch.setWatermark(tenantId, watermark);
    },
    async close() {
      await speed.close();
      await batch.close();
    },
  };
}

/** The speed stores a ground-truth suite runs against: in-process always, Redis when it is up (CI requires it). */
export function speedStoreCases(redis: { available: boolean; url: string }, redisPrefix: string, now: number): Array<{ name: string; skip: boolean; open: () => AggregateStore }> {
  return [
    { name: 'in-process speed store', skip: false, open: () => createMemoryAggregateStore({ now: () => now }) },
    { name: 'Redis speed store', skip: !redis.available, open: () => createRedisAggregateStore(redis.url, { prefix: redisPrefix }) },
  ];
}

/** A lake of the events' raw files with the batch run over the first `days` UTC days from `firstDay`. */
export async function batchLake(
  name: string,
  events: readonly AnalyticsEvent[],
  options: { tenants: string[]; firstDay: number; days: number; now: number; visitTimeout?: (tenantId: string) => number; goals?: (tenantId: string) => Promise<readonly GoalDefinition[]> },
) {
  const lake = await mkdtemp(join(tmpdir(), `${name}-`));
  await writeRaw(lake, [...events]);
  const day = (n: number) => new Date(options.firstDay + n * 86_400_000).toISOString().slice(0, 10);
  await runBatch({ lake, tenants: options.tenants, now: options.now, from: day(0), to: day(options.days - 1), graceMs: 60_000, ...(options.visitTimeout ? { visitTimeout: options.visitTimeout } : {}), ...(options.goals ? { goals: options.goals } : {}) });
  return lake;
}

const DAY_MS = 86_400_000;

/**
 * A ground-truth suite's setting: UTC days from six days before today (Redis expires speed cells
 * by the real clock), a lake with the batch run over the first `batchDays` of them (made
 * before the suite, removed after it), and the speed stores to run against.
 */
export async function groundTruthSetting(name: string, options: { batchDays: number; events: () => readonly AnalyticsEvent[]; tenants: string[] } & Pick<Parameters<typeof batchLake>[2], 'visitTimeout' | 'goals'>) {
  const now = Date.now();
  const firstDay = Math.floor(now / DAY_MS) * DAY_MS - 6 * DAY_MS;
  const redis = await realEngine('redis');
  const redisPrefix = `test:${name}:${randomUUID()}:`;
  let lake: string | undefined;
  let views: BatchViewStore | undefined;
  beforeAll(async () => {
    const { visitTimeout, goals } = options;
    lake = await batchLake(name, options.events(), { tenants: options.tenants, firstDay, days: options.batchDays, now, ...(visitTimeout ? { visitTimeout } : {}), ...(goals ? { goals } : {}) });
    views = createBatchViewStore({ lake });
  }, 180_000);
  afterAll(async () => {
    await views?.close();
    if (lake) await rm(lake, { recursive: true, force: true });
  });
  return {
    now,
    firstDay,
    speedStores: speedStoreCases(redis, redisPrefix, now),
    views: () => views!,
    /** Removes the suite's Redis keys (when Redis is up). */
    clearRedis: async () => (redis.available ? removeKeys(redis.url, `${redisPrefix}*`) : undefined),
  };
}
