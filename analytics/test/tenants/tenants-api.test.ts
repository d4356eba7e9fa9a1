import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/tenants/api-key.ts';
import { createFileTenantStore, createTenantsApi, type TenantStore } from '../../src/tenants/index.ts';

const defaults = { dailyQuota: 100, rateLimitPerSecond: 10 };

async function withStore<T>(run: (store: TenantStore, path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tenants-api-'));
  const path = join(dir, 'tenants.json');
  try {
    return await run(createFileTenantStore(path), path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Counts store lookups, to see what the key cache saves. */
function counting(store: TenantStore) {
  let lookups = 0;
  return {
    store: { ...store, findKeyByHash: (hash: string) => (lookups++, store.findKeyByHash(hash)) },
    lookups: () => lookups,
  };
}

describe('tenants API', () => {
  it('stores only the SHA-256 of a key; the plain key opens only its own tenant and kind', async () => {
    await withStore(async (store, path) => {
      const tenants = createTenantsApi({ store, defaults, keyCacheTtlMs: 1000 });
      await tenants.createTenant({ id: 'a', name: 'A', timeZone: 'UTC' });
      await tenants.createTenant({ id: 'b', name: 'B', timeZone: 'UTC' });
      const write = await tenants.createKey('a', 'write');
      const read = await tenants.createKey('a', 'read');
      if (!write.ok || !read.ok) throw new Error('key not created');
      expect(write.value.plainKey.startsWith('wk_')).toBe(true);
      expect(read.value.plainKey.startsWith('rk_')).toBe(true);
      const file = await readFile(path, 'utf8');
      expect(file).not.toContain(write.value.plainKey);
      expect(file).toContain(hashKey(write.value.plainKey));

      expect(await tenants.authenticate(write.value.plainKey, 'write')).toMatchObject({ ok: true, value: { id: 'a' } });
      expect(await tenants.authenticate(read.value.plainKey, 'read')).toMatchObject({ ok: true, value: { id: 'a' } });
      expect(await tenants.authenticate(read.value.plainKey, 'write')).toMatchObject({ ok: false, error: { code: 'TENANT.KEY_WRONG_KIND' } });
      expect(await tenants.authenticate(write.value.plainKey, 'read')).toMatchObject({ ok: false, error: { code: 'TENANT.KEY_WRONG_KIND' } });
      expect(await tenants.authenticate(`${write.value.plainKey}x`, 'write')).toMatchObject({ ok: false, error: { code: 'TENANT.KEY_UNKNOWN' } });
      expect(await tenants.authenticate('', 'write')).toMatchObject({ ok: false, error: { code: 'TENANT.KEY_UNKNOWN' } });
    });
  });

  it('caches key checks (one store read per key per TTL, unknown keys included)', async () => {
    await withStore(async (raw) => {
      const { store, lookups } = counting(raw);
      const tenants = createTenantsApi({ store, defaults, keyCacheTtlMs: 60_000 });
      await tenants.createTenant({ id: 'a', name: 'A', timeZone: 'UTC' });
      const key = await tenants.createKey('a', 'write');
      if (!key.ok) throw new Error('key not created');
      for (let i = 0; i < 50; i++) await tenants.authenticate(key.value.plainKey, 'write');
      for (let i = 0; i < 50; i++) await tenants.authenticate('wk_unknown', 'write');
      expect(lookups()).toBe(2);
    });
  });

  it('sees keys created and revoked by another process (the CLI) without a restart', async () => {
    await withStore(async (store, path) => {
      const server = createTenantsApi({ store, defaults, keyCacheTtlMs: 0 });
      const cli = createTenantsApi({ store: createFileTenantStore(path), defaults, keyCacheTtlMs: 0 });
      await cli.createTenant({ id: 'a', name: 'A', timeZone: 'UTC' });
      const key = await cli.createKey('a', 'write');
      if (!key.ok) throw new Error('key not created');
      // Created by the CLI while the server runs: usable without a restart.
      expect((await server.authenticate(key.value.plainKey, 'write')).ok).toBe(true);
      await cli.revokeKey('a', key.value.key.id);
      expect(await server.authenticate(key.value.plainKey, 'write')).toMatchObject({ ok: false, error: { code: 'TENANT.KEY_REVOKED' } });
    });
  });

  it('validates tenants before storing them', async () => {
    await withStore(async (store) => {
      const tenants = createTenantsApi({ store, defaults, keyCacheTtlMs: 0 });
      expect(await tenants.createTenant({ id: '-bad', name: 'x', timeZone: 'UTC' })).toMatchObject({ ok: false, error: { code: 'TENANT.INVALID_ID' } });
      expect(await tenants.createTenant({ id: 'ok', name: 'x', timeZone: 'Europe/Atlantis' })).toMatchObject({ ok: false, error: { code: 'TENANT.INVALID_TIME_ZONE' } });
      expect(await tenants.createTenant({ id: 'ok', name: 'x', timeZone: 'UTC', dailyQuota: 0 })).toMatchObject({ ok: false, error: { code: 'TENANT.INVALID_LIMIT' } });
      expect(await tenants.listTenants()).toEqual([]);
    });
  });
});
