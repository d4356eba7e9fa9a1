import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { realEngine } from '@shop/platform/testing';
import { describe, expect, it } from 'vitest';
import { runTenantsCommand } from '../../src/cli/tenants.ts';
import { createFileTenantStore, createTenantsApi, openTenantStore } from '../../src/tenants/index.ts';

const run = promisify(execFile);
const redis = await realEngine('redis');

describe('tenants CLI', () => {
  it('creates a tenant, issues, lists and revokes keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenants-cli-'));
    try {
      const tenants = createTenantsApi({ store: createFileTenantStore(join(dir, 't.json')), defaults: { dailyQuota: 10, rateLimitPerSecond: 1 }, keyCacheTtlMs: 0 });
      expect(await runTenantsCommand(tenants, ['create', '--id', 'acme', '--name', 'Acme', '--tz', 'Europe/Paris', '--rate', '5'])).toMatch(/created tenant acme .*5 events\/s/);
      const issued = await runTenantsCommand(tenants, ['keys', 'create', '--tenant', 'acme', '--kind', 'read']);
      const plain = /key: (rk_\S+)/.exec(issued)?.[1];
      const id = /read key (key_\w+)/.exec(issued)?.[1];
      expect(plain).toBeDefined();
      expect((await tenants.authenticate(plain!, 'read')).ok).toBe(true);
      expect(await runTenantsCommand(tenants, ['keys', 'list', '--tenant', 'acme'])).toMatch(new RegExp(`${id}\\tread\\t${plain!.slice(0, 7)}\\.\\.\\.\\tactive`));
      expect(await runTenantsCommand(tenants, ['keys', 'revoke', '--tenant', 'acme', '--key', id!])).toMatch(/revoked key/);
      expect((await tenants.authenticate(plain!, 'read')).ok).toBe(false);
      expect(await runTenantsCommand(tenants, ['list'])).toMatch(/^acme\tAcme\tEurope\/Paris/);
      await expect(runTenantsCommand(tenants, ['create', '--id', 'x', '--tz', 'Nowhere/Land'])).rejects.toThrow(/TENANT.INVALID_TIME_ZONE/);
      await expect(runTenantsCommand(tenants, ['keys', 'create', '--tenant', 'acme', '--kind', 'admin'])).rejects.toThrow(/--kind must be write or read/);
      await expect(runTenantsCommand(tenants, ['frobnicate'])).rejects.toThrow(/Usage/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as a process against DATA_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenants-cli-proc-'));
    const cli = join(import.meta.dirname, '../../src/cli/tenants.ts');
    const env = { ...process.env, DATA_DIR: dir, REDIS_URL: '' };
    try {
      const { stdout } = await run('npx', ['tsx', cli, 'create', '--id', 'proc', '--name', 'Proc', '--tz', 'UTC'], { env });
      expect(stdout).toMatch(/created tenant proc/);
      const store = createFileTenantStore(join(dir, 'analytics', 'tenants.json'));
      expect((await store.getTenant('proc'))?.name).toBe('Proc');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!redis.available)('writes to Redis under ANALYTICS_REDIS_PREFIX, where the server looks', async () => {
    const prefix = `test:${randomUUID()}:`;
    const cli = join(import.meta.dirname, '../../src/cli/tenants.ts');
    const env = { ...process.env, REDIS_URL: redis.url, ANALYTICS_REDIS_PREFIX: prefix };
    const ours = await openTenantStore({ redisUrl: redis.url, dataDir: tmpdir(), prefix });
    const other = await openTenantStore({ redisUrl: redis.url, dataDir: tmpdir(), prefix: `${prefix}other:` });
    try {
      await run('npx', ['tsx', cli, 'create', '--id', 'prefixed', '--name', 'Prefixed', '--tz', 'UTC'], { env });
      expect((await ours.getTenant('prefixed'))?.name).toBe('Prefixed');
      expect(await other.getTenant('prefixed')).toBeNull();
    } finally {
      await ours.close();
      await other.close();
      const client = new Redis(redis.url);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(...keys);
      await client.quit();
    }
  });
});
