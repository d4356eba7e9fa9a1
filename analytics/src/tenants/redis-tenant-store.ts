import { createRedisClient } from '@shop/platform';
import type { ApiKeyRecord } from './api-key.ts';
import { fail as err, ok } from '@shop/platform/result';
import { tenantError } from './tenant.errors.ts';
import type { TenantStore } from './tenant-store.ts';
import type { Tenant } from './tenant.ts';

// Revocation is read-modify-write on one JSON value; Lua keeps it atomic across instances. One
// key, so a Redis Cluster runs it on the key's own slot.
const REVOKE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local key = cjson.decode(raw)
if key.revokedAt == nil then
  key.revokedAt = ARGV[1]
  raw = cjson.encode(key)
  redis.call('SET', KEYS[1], raw)
end
return raw`;

/**
 * The production tenant store. Layout under `prefix`:
 * `tenant:<id>` (JSON), `tenants` (set of ids), `key:<sha256>` (JSON, the O(1) lookup),
 * `tenant-keys:<id>` (hash keyId -> sha256, for listing and revoking).
 *
 * These keys hash to different slots on a Redis Cluster, so no command, script or transaction
 * spans two of them: reads of many keys are one GET each (sent together), and the two writes of
 * `addKey` go index first, so a crash between them leaves an index entry without a key (listed as
 * nothing, revoked as not found) rather than a working key that cannot be listed or revoked.
 */
export function createRedisTenantStore(url: string, prefix: string): TenantStore {
  const redis = createRedisClient(url); // errors surface through the failing command and /ready
  const k = (name: string) => `${prefix}${name}`;
  const getEach = (keys: string[]) => Promise.all(keys.map((key) => redis.get(key)));

  const parseKey = (raw: string): ApiKeyRecord => JSON.parse(raw) as ApiKeyRecord;

  return {
    async createTenant(tenant) {
      const created = await redis.set(k(`tenant:${tenant.id}`), JSON.stringify(tenant), 'NX');
      if (created !== 'OK') return err(tenantError('TENANT.ALREADY_EXISTS', `Tenant "${tenant.id}" already exists`));
      await redis.sadd(k('tenants'), tenant.id);
      return ok(tenant);
    },
    async getTenant(id) {
      const raw = await redis.get(k(`tenant:${id}`));
      return raw ? (JSON.parse(raw) as Tenant) : null;
    },
    async listTenants() {
      const ids = (await redis.smembers(k('tenants'))).sort();
      if (ids.length === 0) return [];
      const raws = await getEach(ids.map((id) => k(`tenant:${id}`)));
      return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Tenant] : []));
    },
    listTenantIds: () => redis.smembers(k('tenants')),
    async getTenants(ids) {
      if (ids.length === 0) return [];
      const raws = await getEach(ids.map((id) => k(`tenant:${id}`)));
      return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Tenant] : []));
    },
    async addKey(key) {
      if (!(await redis.exists(k(`tenant:${key.tenantId}`)))) {
        return err(tenantError('TENANT.NOT_FOUND', `Tenant "${key.tenantId}" not found`));
      }
      await redis.hset(k(`tenant-keys:${key.tenantId}`), key.id, key.hash);
      await redis.set(k(`key:${key.hash}`), JSON.stringify(key));
      return ok(key);
    },
    async listKeys(tenantId) {
      const hashes = Object.values(await redis.hgetall(k(`tenant-keys:${tenantId}`)));
      if (hashes.length === 0) return [];
      const raws = await getEach(hashes.map((h) => k(`key:${h}`)));
      return raws
        .flatMap((raw) => (raw ? [parseKey(raw)] : []))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async revokeKey(tenantId, keyId, at) {
      // The index entry never changes once written, so reading it outside the script is safe.
      const hash = await redis.hget(k(`tenant-keys:${tenantId}`), keyId);
      const raw = hash ? ((await redis.eval(REVOKE, 1, k(`key:${hash}`), at.toISOString())) as string | null) : null;
      if (!raw) return err(tenantError('TENANT.KEY_NOT_FOUND', `Key "${keyId}" not found for tenant "${tenantId}"`));
      return ok(parseKey(raw));
    },
    async findKeyByHash(hash) {
      const raw = await redis.get(k(`key:${hash}`));
      return raw ? parseKey(raw) : null;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
