import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { realEngine } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/tenants/api-key.ts';
import { createRedisTenantStore, openTenantStore, type Tenant } from '../../src/tenants/index.ts';
import { removeKeys } from '../speed/redis-keys.ts';

const redis = await realEngine('redis');
const run = `test:${randomUUID()}:`;

const tenant = (id: string, name: string): Tenant => ({
  id,
  name,
  timeZone: 'UTC',
  createdAt: '2026-01-01T00:00:00.000Z',
  dailyQuota: 1000,
  rateLimitPerSecond: 10,
});

afterAll(async () => {
  if (redis.available) await removeKeys(redis.url, `${run}*`);
});

describe.skipIf(!redis.available)('openTenantStore with ANALYTICS_REDIS_PREFIX', () => {
  const open = (prefix: string) => openTenantStore({ redisUrl: redis.url, dataDir: tmpdir(), prefix });

  it('keeps two deployments on one Redis apart: tenants and keys', async () => {
    const one = await open(`${run}one:`);
    const two = await open(`${run}two:`);
    try {
      await one.createTenant(tenant('acme', 'Acme of one'));
      const { record } = generateKey('acme', 'write', new Date('2026-01-02T00:00:00Z'));
      await one.addKey(record);
      expect(await two.getTenant('acme')).toBeNull();
      expect(await two.listTenants()).toEqual([]);
      expect(await two.findKeyByHash(record.hash)).toBeNull();
      // The same id is free in the other deployment.
      expect((await two.createTenant(tenant('acme', 'Acme of two'))).ok).toBe(true);
      expect((await one.getTenant('acme'))?.name).toBe('Acme of one');
      expect(await one.findKeyByHash(record.hash)).toEqual(record);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('stores under <prefix>tenants:, the key names of every existing deployment', async () => {
    const prefix = `${run}layout:`;
    const store = await open(prefix);
    const asBefore = createRedisTenantStore(redis.url, `${prefix}tenants:`);
    try {
      await store.createTenant(tenant('globex', 'Globex'));
      expect((await asBefore.getTenant('globex'))?.name).toBe('Globex');
      const client = new Redis(redis.url);
      const keys = await client.keys(`${prefix}*`);
      await client.quit();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.startsWith(`${prefix}tenants:`))).toBe(true);
    } finally {
      await store.close();
      await asBefore.close();
    }
  });
});
