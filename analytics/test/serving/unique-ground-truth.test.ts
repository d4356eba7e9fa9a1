import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { realEngine } from '@shop/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchViewStore, type BatchViewStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import type { AggregateStore } from '../../src/contracts/index.ts';
import { batchViewsFromCoverage, createServingLayer, type MetricQuery } from '../../src/serving/index.ts';
import { removeKeys } from '../speed/redis-keys.ts';
import { batchLake, fold, speedStoreCases } from './serving.fixture.ts';

const DAY = 86_400_000;
// Days before today: Redis expires speed cells by the real clock (bucket start + retention).
const NOW = Date.now();
const FIRST_DAY = Math.floor(NOW / DAY) * DAY - 7 * DAY;
const DAYS = 6;
/** The batch holds the first four UTC days; the last two are the speed layer's alone. */
const BATCH_DAYS = 4;
const TENANTS = ['gt-a', 'gt-b', 'gt-c'];
const UNIQUE_USERS = METRICS.find((m) => m.name === 'unique_users')!;

/**
 * A shop's traffic: each tenant has a population of returning people and about 600 of them visit
 * on a day (a few anonymous), each one to five times at any minute. The people each visit brings
 * are written down as they are made up, so the expected counts never go through the code tested.
 */
function traffic(tenantId: string, seed: number) {
  const r = seededRandom(seed);
  const population = 750;
  const events: AnalyticsEvent[] = [];
  const people: Array<{ time: number; person: string }> = [];
  for (let day = 0; day < DAYS; day++) {
    for (let p = 0; p < population; p++) {
      if (r() >= 0.8) continue;
      const person = p % 50 === 0 ? `anon-${tenantId}-${p}` : `${tenantId}-user-${p}`;
      for (let visits = 1 + r.below(5); visits > 0; visits--) {
        const time = FIRST_DAY + day * DAY + r.below(DAY);
        const iso = new Date(time).toISOString();
        const who = person.startsWith('anon-') ? { anonymousId: person } : { userId: person };
        events.push({ tenantId, messageId: `${tenantId}-${events.length}`, type: 'page', timestamp: iso, receivedAt: iso, properties: {}, context: { page: { path: '/' } }, isBot: false, ...who });
        people.push({ time, person });
      }
    }
  }
  const distinct = (from: number, to: number) => new Set(people.filter((p) => p.time >= from && p.time < to).map((p) => p.person)).size;
  return { events, distinct };
}

const data = TENANTS.map((tenantId, i) => ({ tenantId, ...traffic(tenantId, 40 + i) }));
const query = (tenantId: string, from: number, to: number, timeZone: string): MetricQuery => ({
  tenantId,
  metric: UNIQUE_USERS,
  from,
  to,
  granularity: 'day',
  timeZone,
  limit: 10,
});

const redis = await realEngine('redis');
const redisPrefix = `test:unique-truth:${randomUUID()}:`;
const speedStores = speedStoreCases(redis, redisPrefix, NOW);

let lake: string;
let views: BatchViewStore;
beforeAll(async () => {
  lake = await batchLake('unique-truth', data.flatMap((d) => d.events), { tenants: TENANTS, firstDay: FIRST_DAY, days: BATCH_DAYS, now: NOW });
  views = createBatchViewStore({ lake });
}, 180_000);
afterAll(async () => {
  await views.close();
  await rm(lake, { recursive: true, force: true });
});

// Unique users against counts made from the generated visits themselves: every tenant-day with
// some 600 people, from the batch's Parquet views, from the speed layer, and across the watermark.
describe.each(speedStores)('unique users against the ground truth ($name)', ({ skip, open }) => {
  let speed: AggregateStore;

  beforeAll(async () => {
    if (skip) return;
    speed = open();
    for (const d of data) await speed.applyCells([fold(d.events, NOW)]);
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await speed.close();
    if (redis.available) await removeKeys(redis.url, `${redisPrefix}*`);
  });

  it.skipIf(skip)('answers every tenant-day exactly, from the batch views and from the speed layer', async () => {
    const serving = createServingLayer({ speed, batch: batchViewsFromCoverage(views), now: () => NOW });
    const misses: string[] = [];
    for (const { tenantId, distinct } of data) {
      const outcome = await serving.query(query(tenantId, FIRST_DAY, FIRST_DAY + DAYS * DAY, 'UTC'));
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.value.layers.map((l) => l.layer)).toEqual(['batch', 'speed']);
      outcome.value.series.forEach((point, day) => {
        const truth = distinct(FIRST_DAY + day * DAY, FIRST_DAY + (day + 1) * DAY);
        expect(truth).toBeGreaterThan(550);
        if (point.value !== truth) misses.push(`${tenantId} ${point.start.slice(0, 10)}: ${point.value} for ${truth}`);
      });
    }
    expect(misses).toEqual([]);
  });

  it.skipIf(skip)('answers local days that straddle the watermark, and the whole range, exactly', async () => {
    const serving = createServingLayer({ speed, batch: batchViewsFromCoverage(views), now: () => NOW });
    // Kolkata's days start at 18:30 UTC: the day around the watermark merges batch and speed quarters.
    const offset = -5.5 * 3_600_000;
    for (const { tenantId, distinct } of data) {
      const outcome = await serving.query(query(tenantId, FIRST_DAY + DAY + offset, FIRST_DAY + DAYS * DAY + offset, 'Asia/Kolkata'));
      if (!outcome.ok) throw new Error(outcome.error.message);
      const values = outcome.value.series.map((p) => p.value);
      const truths = outcome.value.series.map((_, i) => distinct(FIRST_DAY + (i + 1) * DAY + offset, FIRST_DAY + (i + 2) * DAY + offset));
      expect(values).toEqual(truths);
      expect(outcome.value.total.value).toBe(distinct(FIRST_DAY + DAY + offset, FIRST_DAY + DAYS * DAY + offset));
    }
  });
});
