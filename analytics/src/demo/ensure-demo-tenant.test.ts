import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTenantStore, createTenantsApi, type TenantStore } from '../tenants/index.ts';
import { ensureDemoTenant } from './ensure-demo-tenant.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'demo-tenant-'));
  dirs.push(dir);
  const store: TenantStore = createFileTenantStore(join(dir, 'tenants.json'));
  const tenants = createTenantsApi({ store, defaults: { dailyQuota: 1000, rateLimitPerSecond: 10 }, keyCacheTtlMs: 0 });
  return { store, tenants };
}

const demo = {
  id: 'demo-shop',
  name: 'Demo shop',
  timeZone: 'Europe/Paris',
  writeKey: `wk_${'a'.repeat(32)}`,
  readKey: `rk_${'b'.repeat(32)}`,
};

describe('ensureDemoTenant', () => {
  it('creates the tenant, registers the given plain keys, and is idempotent', async () => {
    const deps = setup();
    expect(await ensureDemoTenant(deps, demo)).toEqual({ tenant: 'created', keys: { write: 'registered', read: 'registered' } });
    expect(await ensureDemoTenant(deps, demo)).toEqual({ tenant: 'existed', keys: { write: 'existed', read: 'existed' } });

    const write = await deps.tenants.authenticate(demo.writeKey, 'write');
    expect(write.ok && write.value.id).toBe('demo-shop');
    const read = await deps.tenants.authenticate(demo.readKey, 'read');
    expect(read.ok && read.value.timeZone).toBe('Europe/Paris');
    expect((await deps.tenants.authenticate(demo.writeKey, 'read')).ok).toBe(false);
    const keys = await deps.tenants.listKeys('demo-shop');
    expect(keys.ok && keys.value.map((k) => k.kind).sort()).toEqual(['read', 'write']);
  });

  it('refuses a revoked key, a key of the wrong kind, and a short key', async () => {
    const deps = setup();
    await ensureDemoTenant(deps, demo);
    const keys = await deps.tenants.listKeys('demo-shop');
    const writeKey = keys.ok ? keys.value.find((k) => k.kind === 'write')! : undefined;
    await deps.tenants.revokeKey('demo-shop', writeKey!.id);
    await expect(ensureDemoTenant(deps, demo)).rejects.toThrow(/revoked/);
    await expect(ensureDemoTenant(deps, { ...demo, writeKey: demo.readKey })).rejects.toThrow(/must start with wk_/);
    await expect(ensureDemoTenant(setup(), { ...demo, readKey: 'rk_short' })).rejects.toThrow(/35-100/);
  });
});
