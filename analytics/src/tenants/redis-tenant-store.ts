import { Redis } from 'ioredis';
import type { ApiKeyRecord } from './api-key.ts';
import { fail as err, ok } from '@shop/platform/result';
import { tenantError } from './tenant.errors.ts';
import type { TenantStore } from './tenant-store.ts';
import type { Tenant } from './tenant.ts';

// Revocation is read-modify-write on one JSON value; Lua keeps it atomic across instances.
const REVOKE = `
local hash = redis.call('HGET', KEYS[1], ARGV[1])
if not hash then return false end
local raw = redis.call('GET', ARGV[3] .. 'key:' .. hash)
if not raw then return false end
local key = cjson.decode(raw)
if key.revokedAt == nil then
  key.revokedAt = ARGV[2]
  raw = cjson.encode(key)
  redis.call('SET', ARGV[3] .. 'key:' .. hash, raw)
end
return raw`;

/**
 * The production tenant store. Layout under `prefix`:
 * `tenant:<id>` (JSON), `tenants` (set of ids), `key:<sha256>` (JSON, the O(1) lookup),
 * `tenant-keys:<id>` (hash keyId -> sha256, for listing and revoking).
 */
export function createRedisTenantStore(url: string, prefix: string): TenantStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined); // surfaced by the failing command and by /ready instead
  const k = (name: string) => `${prefix}${name}`;

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
      const raws = await redis.mget(ids.map((id) => k(`tenant:${id}`)));
      return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Tenant] : []));
    },
    listTenantIds: () => redis.smembers(k('tenants')),
    async getTenants(ids) {
      if (ids.length === 0) return [];
      const raws = await redis.mget(ids.map((id) => k(`tenant:${id}`)));
      return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Tenant] : []));
    },
    async addKey(key) {
      if (!(await redis.exists(k(`tenant:${key.tenantId}`)))) {
        return err(tenantError('TENANT.NOT_FOUND', `Tenant "${key.tenantId}" not found`));
      }
      await redis
        .multi()
        .set(k(`key:${key.hash}`), JSON.stringify(key))
        .hset(k(`tenant-keys:${key.tenantId}`), key.id, key.hash)
        .exec();
      return ok(key);
    },
    async listKeys(tenantId) {
      const hashes = Object.values(await redis.hgetall(k(`tenant-keys:${tenantId}`)));
      if (hashes.length === 0) return [];
      const raws = await redis.mget(hashes.map((h) => k(`key:${h}`)));
      return raws
        .flatMap((raw) => (raw ? [parseKey(raw)] : []))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async revokeKey(tenantId, keyId, at) {
      const raw = (await redis.eval(REVOKE, 1, k(`tenant-keys:${tenantId}`), keyId, at.toISOString(), prefix)) as string | null;
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
