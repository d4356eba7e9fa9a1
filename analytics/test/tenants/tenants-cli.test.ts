import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runTenantsCommand } from '../../src/cli/tenants.ts';
import { createFileTenantStore, createTenantsApi } from '../../src/tenants/index.ts';

const run = promisify(execFile);

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
});
