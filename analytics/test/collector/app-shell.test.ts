import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '@shop/platform';
import { createAnalyticsApp } from '../../src/app.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { basic } from './support/test-app.ts';

describe('analytics config', () => {
  it('has working defaults and no default secret', () => {
    const config = loadAnalyticsConfig({});
    expect(config).toMatchObject({
      ANALYTICS_PORT: 3100,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      ANALYTICS_MAX_EVENT_BYTES: 32 * 1024,
      ANALYTICS_MAX_BATCH_BYTES: 500 * 1024,
      ANALYTICS_DEDUP_WINDOW_HOURS: 24,
      ANALYTICS_CORS_ORIGINS: '*',
    });
    expect(config.ANALYTICS_ADMIN_TOKEN).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names every bad variable', () => {
    const bad = () =>
      loadAnalyticsConfig({ ANALYTICS_PORT: 'x', REDIS_URL: 'http://x', ANALYTICS_ADMIN_TOKEN: 'short', ANALYTICS_DEDUP_WINDOW_HOURS: '2', KAFKA_BROKERS: 'nope' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['ANALYTICS_PORT', 'REDIS_URL', 'ANALYTICS_ADMIN_TOKEN', 'ANALYTICS_DEDUP_WINDOW_HOURS', 'KAFKA_BROKERS']) expect(text).toContain(name);
    }
    expect(loadAnalyticsConfig({ KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });
});

describe('analytics app with its embedded defaults', () => {
  it('serves what the collector took through the in-process speed layer, to read keys of the same tenant only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'analytics-shell-'));
    const app = await createAnalyticsApp(loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', ANALYTICS_LOG_PARTITIONS: '2' }), createLogger('test', 'silent'));
    try {
      const keys: Record<string, { write: string; read: string }> = {};
      for (const id of ['a', 'b']) {
        await app.tenants.createTenant({ id, name: id, timeZone: 'UTC' });
        const write = await app.tenants.createKey(id, 'write');
        const read = await app.tenants.createKey(id, 'read');
        if (!write.ok || !read.ok) throw new Error('setup failed');
        keys[id] = { write: write.value.plainKey, read: read.value.plainKey };
      }
      const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'track', userId: `u${i}`, event: 'Clicked' }));
      await app.server.inject({ method: 'POST', url: '/v1/batch', payload: { batch: batch(3) }, headers: { authorization: basic(keys.a!.write) } });
      await app.server.inject({ method: 'POST', url: '/v1/batch', payload: { batch: batch(5) }, headers: { authorization: basic(keys.b!.write) } });
      const total = async (key: string) => {
        const res = await app.server.inject({ method: 'GET', url: '/v1/query?metric=events&granularity=hour', headers: { authorization: `Bearer ${key}` } });
        return res.statusCode === 200 ? (res.json() as { total: { value: number } }).total.value : res.statusCode;
      };
      // The speed layer is asynchronous: wait (bounded) until it has caught up, then compare exactly.
      for (let i = 0; i < 300 && ((await total(keys.a!.read)) !== 3 || (await total(keys.b!.read)) !== 5); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await total(keys.a!.read)).toBe(3);
      expect(await total(keys.b!.read)).toBe(5);
      // A write key is not a read key.
      expect(await total(keys.a!.write)).toBe(401);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes accepted events to the real file log under DATA_DIR and documents its routes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'analytics-shell-'));
    const app = await createAnalyticsApp(loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', ANALYTICS_LOG_PARTITIONS: '2' }), createLogger('test', 'silent'));
    try {
      const created = await app.tenants.createTenant({ id: 'shell', name: 'Shell', timeZone: 'UTC' });
      const key = await app.tenants.createKey('shell', 'write');
      if (!created.ok || !key.ok) throw new Error('setup failed');
      const res = await app.server.inject({
        method: 'POST',
        url: '/v1/track',
        payload: { userId: 'u', event: 'Booted', messageId: 'boot-1' },
        headers: { authorization: basic(key.value.plainKey) },
      });
      expect(res.statusCode).toBe(200);
      const records = (await Promise.all([0, 1].map((p) => app.log.read(p, 0, { max: 10 })))).flat();
      expect(records.map((r) => [r.key, r.value.messageId, r.value.event])).toEqual([['shell', 'boot-1', 'Booted']]);
      expect((await app.server.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json();
      for (const path of ['/v1/batch', '/v1/track', '/v1/alias', '/admin/tenants', '/admin/tenants/{id}/keys']) expect(Object.keys(spec.paths)).toContain(path);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
