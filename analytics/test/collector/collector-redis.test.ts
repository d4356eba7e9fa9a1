import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { realEngine } from '@shop/platform/testing';
import { createMemoryQuotaCounter, createMemoryRateLimiter, openCollectorStores, type DedupStore } from '../../src/collector/index.ts';
import { createRedisTenantStore } from '../../src/tenants/index.ts';
import { basic, startTestApp } from './support/test-app.ts';

const redis = await realEngine('redis');
const prefix = `test:${randomUUID()}:`;

afterAll(async () => {
  if (!redis.available) return;
  const client = new Redis(redis.url);
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await client.del(...keys);
  await client.quit();
});

describe.skipIf(!redis.available)('two collector instances sharing Redis', () => {
  it('share keys, dedup marks and quota: a messageId is appended once whichever instance gets it', async () => {
    const instance = async () =>
      startTestApp({
        overrides: { tenantStore: createRedisTenantStore(redis.url, `${prefix}tenants:`) },
        stores: await openCollectorStores({ redisUrl: redis.url, prefix }),
      });
    const one = await instance();
    const two = await instance();
    try {
      const key = await one.tenantWithKey({ id: 'shared', dailyQuota: 3 });
      const send = (app: typeof one, ids: string[]) =>
        app.app.server.inject({
          method: 'POST',
          url: '/v1/batch',
          payload: { batch: ids.map((messageId) => ({ type: 'track', userId: 'u', event: 'e', messageId })) },
          headers: { authorization: basic(key) },
        });
      expect((await send(one, ['m1', 'm2'])).json()).toMatchObject({ accepted: 2 });
      // Instance two knows the key created on one, sees m1 as a duplicate and the quota as nearly used.
      const second = await send(two, ['m1', 'm3', 'm4']);
      expect(second.statusCode).toBe(429);
      expect(second.json()).toMatchObject({ accepted: 1, duplicates: [{ messageId: 'm1' }], rejected: [{ messageId: 'm4', code: 'QUOTA_EXCEEDED' }] });
      const all = [...one.log.records(), ...two.log.records()].map((r) => r.value.messageId);
      expect(all.sort()).toEqual(['m1', 'm2', 'm3']);
    } finally {
      await one.cleanup();
      await two.cleanup();
    }
  });
});

describe('a collector dependency failing', () => {
  it('answers 503 with Retry-After (not 500), stores nothing, and a retry succeeds once it is back', async () => {
    let broken = true;
    const real = (await openCollectorStores({})).dedup;
    const flaky: DedupStore = {
      ...real,
      claim: (tenantId, ids, ms) => (broken ? Promise.reject(new Error('redis down (test)')) : real.claim(tenantId, ids, ms)),
    };
    const t = await startTestApp({ stores: { dedup: flaky, rateLimiter: createMemoryRateLimiter(), quota: createMemoryQuotaCounter(), close: async () => {} } });
    try {
      const key = await t.tenantWithKey({ id: 'acme' });
      const send = () =>
        t.app.server.inject({ method: 'POST', url: '/v1/track', payload: { userId: 'u', event: 'e', messageId: 'x' }, headers: { authorization: basic(key) } });
      const down = await send();
      expect(down.statusCode).toBe(503);
      expect(down.headers['retry-after']).toBe('1');
      expect(down.json().rejected).toEqual([{ index: 0, messageId: 'x', code: 'UNAVAILABLE', reason: expect.any(String) }]);
      expect(t.log.records()).toEqual([]);
      broken = false;
      expect((await send()).json()).toMatchObject({ success: true, accepted: 1 });
    } finally {
      await t.cleanup();
    }
  });
});
