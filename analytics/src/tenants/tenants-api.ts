import { generateKey, hashKey, kindOfKey, type ApiKeyRecord, type KeyKind } from './api-key.ts';
import { checkShareExpiry, shareKeyRefusal, type NewShareKey } from './share-key.ts';
import { createKeyCache, type CachedKey } from './key-cache.ts';
import { fail as err, ok, type Result } from '@shop/platform/result';
import { tenantError, type TenantError } from './tenant.errors.ts';
import type { TenantStore } from './tenant-store.ts';
import { buildTenant, type NewTenant, type Tenant, type TenantLimits } from './tenant.ts';
import { pageOfTenants, type TenantPage, type TenantPageQuery } from './tenant-paging.ts';

export interface TenantsDeps {
  store: TenantStore;
  defaults: TenantLimits;
  /** How long a key check is cached; revocations elsewhere take up to this long to apply. */
  keyCacheTtlMs: number;
  now?: () => Date;
}

/** The plain key exists only in this value: it is not stored and cannot be shown again. */
export interface CreatedKey {
  key: ApiKeyRecord;
  plainKey: string;
}

/** Tenant administration and key checks; used by the admin API, the CLI, the collector and the query API. */
export interface TenantsApi {
  createTenant(input: NewTenant): Promise<Result<Tenant, TenantError>>;
  listTenants(): Promise<Tenant[]>;
  /** A page of tenants in id order, optionally filtered on id and name. */
  listTenantPage(query: TenantPageQuery): Promise<TenantPage>;
  getTenant(id: string): Promise<Result<Tenant, TenantError>>;
  createKey(tenantId: string, kind: KeyKind, label?: string): Promise<Result<CreatedKey, TenantError>>;
  listKeys(tenantId: string): Promise<Result<ApiKeyRecord[], TenantError>>;
  revokeKey(tenantId: string, keyId: string): Promise<Result<ApiKeyRecord, TenantError>>;
  /** A share key (scope `dashboard`) ending at `expiresAt`; `TENANT.INVALID_EXPIRY` past the allowed window. */
  createShareKey(tenantId: string, input: NewShareKey): Promise<Result<CreatedKey, TenantError>>;
  /**
   * The tenant a plain key belongs to, if the key is live and of `kind`.
   * `TENANT.KEY_UNKNOWN`, `TENANT.KEY_REVOKED` or `TENANT.KEY_WRONG_KIND` otherwise;
   * `TENANT.KEY_OUT_OF_SCOPE` for a share key, which opens nothing but the dashboard's reads.
   */
  authenticate(plainKey: string, kind: KeyKind): Promise<Result<Tenant, TenantError>>;
  /**
   * For the dashboard's reads: a live read key, or a live share key (returned as `key`, so the
   * caller knows its scope and expiry). `TENANT.KEY_EXPIRED` for a share key past its expiry.
   */
  authenticateReader(plainKey: string): Promise<Result<CachedKey, TenantError>>;
}

export function createTenantsApi(deps: TenantsDeps): TenantsApi {
  const now = deps.now ?? (() => new Date());
  const cache = createKeyCache({ ttlMs: deps.keyCacheTtlMs });
  const unknown = () => err(tenantError('TENANT.KEY_UNKNOWN', 'The key is not known'));

  async function lookup(hash: string) {
    const cached = cache.get(hash);
    if (cached !== undefined) return cached;
    const key = await deps.store.findKeyByHash(hash);
    const tenant = key ? await deps.store.getTenant(key.tenantId) : null;
    const value = key && tenant ? { key, tenant } : null;
    cache.set(hash, value);
    return value;
  }

  /** A live (known, unrevoked) key and its tenant, whatever its kind. */
  async function live(plainKey: string): Promise<Result<CachedKey, TenantError>> {
    // The prefix check costs nothing and keeps garbage from reaching the store.
    if (!kindOfKey(plainKey) || plainKey.length > 100) return unknown();
    const found = await lookup(hashKey(plainKey));
    if (!found) return unknown();
    if (found.key.revokedAt) return err(tenantError('TENANT.KEY_REVOKED', `The key ${found.key.hint} was revoked`));
    return ok(found);
  }

  async function authenticate(plainKey: string, kind: KeyKind): Promise<Result<Tenant, TenantError>> {
    const found = await live(plainKey);
    if (!found.ok) return found;
    const { key, tenant } = found.value;
    if (key.kind === 'share' && kind !== 'share') return err(shareKeyRefusal(key));
    if (key.kind !== kind) return err(tenantError('TENANT.KEY_WRONG_KIND', `The key ${key.hint} is a ${key.kind} key; this needs a ${kind} key`));
    return ok(tenant);
  }

  return {
    async createTenant(input) {
      const built = buildTenant(input, deps.defaults, now());
      return built.ok ? deps.store.createTenant(built.value) : built;
    },
    listTenants: () => deps.store.listTenants(),
    listTenantPage: (query) => pageOfTenants(deps.store, query),
    async getTenant(id) {
      const tenant = await deps.store.getTenant(id);
      return tenant ? ok(tenant) : err(tenantError('TENANT.NOT_FOUND', `Tenant "${id}" not found`));
    },
    async createKey(tenantId, kind, label) {
      const { plain, record } = generateKey(tenantId, kind, now(), label);
      const added = await deps.store.addKey(record);
      if (!added.ok) return added;
      // A lookup of this hash may have been cached as unknown (unlikely but cheap to rule out).
      cache.delete(record.hash);
      return ok({ key: added.value, plainKey: plain });
    },
    async listKeys(tenantId) {
      if (!(await deps.store.getTenant(tenantId))) return err(tenantError('TENANT.NOT_FOUND', `Tenant "${tenantId}" not found`));
      return ok(await deps.store.listKeys(tenantId));
    },
    async createShareKey(tenantId, input) {
      const at = now();
      const expiry = checkShareExpiry(input.expiresAt, at);
      if (!expiry.ok) return expiry;
      const { plain, record } = generateKey(tenantId, 'share', at, input.label, { expiresAt: expiry.value, scope: 'dashboard' });
      const added = await deps.store.addKey(record);
      if (!added.ok) return added;
      cache.delete(record.hash);
      return ok({ key: added.value, plainKey: plain });
    },
    async revokeKey(tenantId, keyId) {
      const revoked = await deps.store.revokeKey(tenantId, keyId, now());
      if (revoked.ok) cache.delete(revoked.value.hash);
      return revoked;
    },
    authenticate,
    async authenticateReader(plainKey) {
      const found = await live(plainKey);
      if (!found.ok) return found;
      const { key } = found.value;
      if (key.kind === 'write') return err(tenantError('TENANT.KEY_WRONG_KIND', `The key ${key.hint} is a write key; this needs a read key`));
      // Checked on every request, not cached: an expiry bites at its instant on every instance.
      if (key.kind === 'share' && !(Date.parse(key.expiresAt ?? '') > now().getTime())) {
        return err(tenantError('TENANT.KEY_EXPIRED', `The share key ${key.hint} expired at ${key.expiresAt ?? '(no expiry recorded)'}`));
      }
      return ok(found.value);
    },
  };
}
