import { describe, expect, it } from 'vitest';
import { generateKey } from '../../src/tenants/api-key.ts';
import type { Tenant, TenantStore } from '../../src/tenants/index.ts';

const tenant = (id: string, over: Partial<Tenant> = {}): Tenant => ({
  id,
  name: `Tenant ${id}`,
  timeZone: 'Europe/Paris',
  createdAt: '2026-01-01T00:00:00.000Z',
  dailyQuota: 1000,
  rateLimitPerSecond: 10,
  ...over,
});

/**
 * The one contract every TenantStore adapter honours. `make` returns a fresh, isolated
 * store (a temp file, a unique Redis prefix) and a cleanup.
 */
export function tenantStoreContract(
  name: string,
  make: () => Promise<{ store: TenantStore; reopen: () => TenantStore; cleanup: () => Promise<void> }>,
  options: { skip?: boolean } = {},
) {
  describe.skipIf(options.skip ?? false)(`TenantStore contract: ${name}`, () => {
    it('creates, gets and lists tenants in id order', async () => {
      const { store, cleanup } = await make();
      expect(await store.getTenant('b-shop')).toBeNull();
      expect(await store.createTenant(tenant('b-shop'))).toEqual({ ok: true, value: tenant('b-shop') });
      await store.createTenant(tenant('a-shop', { timeZone: 'Asia/Tokyo' }));
      expect(await store.getTenant('a-shop')).toEqual(tenant('a-shop', { timeZone: 'Asia/Tokyo' }));
      expect((await store.listTenants()).map((t) => t.id)).toEqual(['a-shop', 'b-shop']);
      await store.close();
      await cleanup();
    });

    it('lists the ids alone and reads tenants by id in one call, in the order asked', async () => {
      const { store, cleanup } = await make();
      expect(await store.listTenantIds()).toEqual([]);
      expect(await store.getTenants([])).toEqual([]);
      for (const id of ['c-shop', 'a-shop', 'b-shop']) await store.createTenant(tenant(id));
      expect((await store.listTenantIds()).sort()).toEqual(['a-shop', 'b-shop', 'c-shop']);
      expect(await store.getTenants(['c-shop', 'nope', 'a-shop'])).toEqual([tenant('c-shop'), tenant('a-shop')]);
      await store.close();
      await cleanup();
    });

    it('refuses a second tenant with the same id and keeps the first', async () => {
      const { store, cleanup } = await make();
      await store.createTenant(tenant('acme'));
      const again = await store.createTenant(tenant('acme', { name: 'Impostor' }));
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.error.code).toBe('TENANT.ALREADY_EXISTS');
      expect((await store.getTenant('acme'))?.name).toBe('Tenant acme');
      await store.close();
      await cleanup();
    });

    it('lets exactly one of many concurrent creations of one id win', async () => {
      const { store, cleanup } = await make();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.createTenant(tenant('race', { name: `n${i}` }))));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await store.listTenants()).toHaveLength(1);
      await store.close();
      await cleanup();
    });

    it('finds a key by its hash, and only its own tenant lists it', async () => {
      const { store, cleanup } = await make();
      await store.createTenant(tenant('a'));
      await store.createTenant(tenant('b'));
      const { record } = generateKey('a', 'write', new Date('2026-01-02T00:00:00Z'));
      expect(await store.addKey(record)).toEqual({ ok: true, value: record });
      expect(await store.findKeyByHash(record.hash)).toEqual(record);
      expect(await store.findKeyByHash('0'.repeat(64))).toBeNull();
      expect(await store.listKeys('a')).toEqual([record]);
      expect(await store.listKeys('b')).toEqual([]);
      await store.close();
      await cleanup();
    });

    it('refuses a key for a tenant that does not exist', async () => {
      const { store, cleanup } = await make();
      const { record } = generateKey('ghost', 'read', new Date());
      const added = await store.addKey(record);
      expect(added.ok).toBe(false);
      if (!added.ok) expect(added.error.code).toBe('TENANT.NOT_FOUND');
      expect(await store.findKeyByHash(record.hash)).toBeNull();
      await store.close();
      await cleanup();
    });

    it('revokes a key once: the first revocation time stays, other tenants cannot revoke it', async () => {
      const { store, cleanup } = await make();
      await store.createTenant(tenant('a'));
      await store.createTenant(tenant('b'));
      const { record } = generateKey('a', 'write', new Date('2026-01-02T00:00:00Z'));
      await store.addKey(record);
      const byOther = await store.revokeKey('b', record.id, new Date('2026-01-03T00:00:00Z'));
      expect(byOther.ok).toBe(false);
      if (!byOther.ok) expect(byOther.error.code).toBe('TENANT.KEY_NOT_FOUND');
      expect((await store.findKeyByHash(record.hash))?.revokedAt).toBeUndefined();

      const first = await store.revokeKey('a', record.id, new Date('2026-01-03T00:00:00Z'));
      expect(first).toEqual({ ok: true, value: { ...record, revokedAt: '2026-01-03T00:00:00.000Z' } });
      const second = await store.revokeKey('a', record.id, new Date('2026-01-04T00:00:00Z'));
      expect(second.ok && second.value.revokedAt).toBe('2026-01-03T00:00:00.000Z');
      expect((await store.findKeyByHash(record.hash))?.revokedAt).toBe('2026-01-03T00:00:00.000Z');
      const missing = await store.revokeKey('a', 'key_nope', new Date());
      expect(missing.ok).toBe(false);
      await store.close();
      await cleanup();
    });

    it('keeps a share key whole (scope, expiry, label) and revokes it without losing them, across a reopen', async () => {
      const { store, reopen, cleanup } = await make();
      await store.createTenant(tenant('a'));
      await store.createTenant(tenant('b'));
      const share = { expiresAt: new Date('2026-02-01T00:00:00Z'), scope: 'dashboard' as const };
      const { record } = generateKey('a', 'share', new Date('2026-01-02T00:00:00Z'), 'board', share);
      const { record: read } = generateKey('a', 'read', new Date('2026-01-01T00:00:00Z'));
      expect(record).toMatchObject({ kind: 'share', scope: 'dashboard', expiresAt: '2026-02-01T00:00:00.000Z', label: 'board' });
      await store.addKey(record);
      await store.addKey(read);
      const other = reopen();
      expect(await other.findKeyByHash(record.hash)).toEqual(record);
      expect(await other.listKeys('a')).toEqual([read, record]);
      expect(await other.listKeys('b')).toEqual([]);
      expect((await other.revokeKey('b', record.id, new Date('2026-01-03T00:00:00Z'))).ok).toBe(false);
      const revoked = await other.revokeKey('a', record.id, new Date('2026-01-03T00:00:00Z'));
      expect(revoked).toEqual({ ok: true, value: { ...record, revokedAt: '2026-01-03T00:00:00.000Z' } });
      expect(await store.findKeyByHash(record.hash)).toEqual({ ...record, revokedAt: '2026-01-03T00:00:00.000Z' });
      await other.close();
      await store.close();
      await cleanup();
    });

    it('keeps everything across a reopen (durable, and visible to another process)', async () => {
      const { store, reopen, cleanup } = await make();
      await store.createTenant(tenant('kept'));
      const { record } = generateKey('kept', 'read', new Date('2026-01-02T00:00:00Z'));
      await store.addKey(record);
      const other = reopen();
      expect(await other.getTenant('kept')).toEqual(tenant('kept'));
      expect(await other.findKeyByHash(record.hash)).toEqual(record);
      // A change made through one handle is seen through the other without restarting it.
      await other.revokeKey('kept', record.id, new Date('2026-01-05T00:00:00Z'));
      expect((await store.findKeyByHash(record.hash))?.revokedAt).toBe('2026-01-05T00:00:00.000Z');
      await other.close();
      await store.close();
      await cleanup();
    });
  });
}
