import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/platform';
import { deleteRedisKeys, listRedisKeys, redisEngines } from '@shop/platform/testing';
import { createAnalyticsApp } from '../../src/app.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { until } from '../speed/until.ts';

const prefix = `test:app-prefix:${randomUUID()}:`;
const engines = await redisEngines();

afterAll(async () => {
  for (const redis of engines) if (redis.available) await deleteRedisKeys(redis.url, `${prefix}*`);
});

describe.each(engines)('the app with REDIS_URL ($name) and ANALYTICS_REDIS_PREFIX', (redis) => {
  /** Every key in Redis that names `needle`, by SCAN (a shared Redis: never KEYS). */
  const keysNaming = (needle: string) => listRedisKeys(redis.url, `*${needle}*`);

  it.skipIf(!redis.available)('keeps every key it writes (tenants, keys, dedup, rate limit, quota, views) under the prefix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-prefix-'));
    const config = loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', REDIS_URL: redis.url, ANALYTICS_REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', ANALYTICS_BATCH_IN_PROCESS: 'false' });
    const app = await createAnalyticsApp(config, createLogger('app-prefix-test', 'silent'));
    // A tenant id no other test uses, so every key naming it is this app's.
    const tenantId = `px${randomUUID().slice(0, 8)}`;
    try {
      expect((await app.tenants.createTenant({ id: tenantId, name: 'prefix', timeZone: 'UTC' })).ok).toBe(true);
      const write = await app.tenants.createKey(tenantId, 'write');
      const read = await app.tenants.createKey(tenantId, 'read');
      if (!write.ok || !read.ok) throw new Error('keys not created');
      const sent = await app.server.inject({
        method: 'POST',
        url: '/v1/track',
        headers: { authorization: `Basic ${Buffer.from(`${write.value.plainKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        payload: { userId: 'u1', event: 'Signed Up', messageId: 'prefix-1' },
      });
      expect(sent.statusCode).toBe(200);
      await until('the speed layer to count the event', async () => {
        const res = await app.server.inject({ url: '/v1/query?metric=events&granularity=minute', headers: { authorization: `Bearer ${read.value.plainKey}` } });
        return (res.json() as { total: { value: number } }).total.value === 1;
      });
      const keys = await keysNaming(tenantId);
      // Tenant record, dedup claim, rate limit, quota and speed cells at least.
      expect(keys.length).toBeGreaterThanOrEqual(5);
      expect(keys.filter((k) => !k.startsWith(prefix))).toEqual([]);
    } finally {
      await app.close();
      // Also whatever a broken app wrote outside the prefix.
      await deleteRedisKeys(redis.url, `*${tenantId}*`);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
