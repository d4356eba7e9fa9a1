import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { realEngine } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openCollectorStores } from '../../src/collector/index.ts';
import { removeKeys } from '../speed/redis-keys.ts';

const redis = await realEngine('redis');
const run = `test:${randomUUID()}:`;
const HOUR_MS = 3_600_000;

afterAll(async () => {
  if (redis.available) await removeKeys(redis.url, `${run}*`);
});

describe.skipIf(!redis.available)('openCollectorStores with ANALYTICS_REDIS_PREFIX', () => {
  it('keeps two deployments on one Redis apart: dedup claims and quota', async () => {
    const one = await openCollectorStores({ redisUrl: redis.url, prefix: `${run}one:` });
    const two = await openCollectorStores({ redisUrl: redis.url, prefix: `${run}two:` });
    const oneAgain = await openCollectorStores({ redisUrl: redis.url, prefix: `${run}one:` });
    try {
      await one.dedup.claim('acme', ['m1'], HOUR_MS);
      await one.dedup.commit('acme', ['m1'], HOUR_MS);
      expect(await oneAgain.dedup.claim('acme', ['m1'], HOUR_MS)).toEqual(['committed']);
      expect(await two.dedup.claim('acme', ['m1'], HOUR_MS)).toEqual(['new']);

      expect(await one.quota.consume('acme', '2026-01-01', 3, 3)).toBe(3);
      expect(await oneAgain.quota.used('acme', '2026-01-01')).toBe(3);
      expect(await two.quota.consume('acme', '2026-01-01', 3, 3)).toBe(3);
    } finally {
      await Promise.all([one.close(), two.close(), oneAgain.close()]);
    }
  });

  it('stores under <prefix>dedup: and <prefix>quota:, the key names of every existing deployment', async () => {
    const prefix = `${run}layout:`;
    const stores = await openCollectorStores({ redisUrl: redis.url, prefix });
    try {
      await stores.dedup.claim('globex', ['m1'], HOUR_MS);
      await stores.quota.consume('globex', '2026-01-01', 1, 10);
      // A bucket far from full, so it outlives the test (a refilled one expires).
      await stores.rateLimiter.take('globex', 500, 1, 1000);
      const client = new Redis(redis.url);
      const keys = (await client.keys(`${prefix}*`)).sort();
      await client.quit();
      expect(keys).toEqual([`${prefix}dedup:{globex}:m1`, `${prefix}quota:{globex}:2026-01-01`, `${prefix}rate:{globex}`]);
    } finally {
      await stores.close();
    }
  });
});
