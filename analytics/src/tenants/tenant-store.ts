import type { ApiKeyRecord } from './api-key.ts';
import type { Result } from '@shop/platform/result';
import type { TenantError } from './tenant.errors.ts';
import type { Tenant } from './tenant.ts';

/**
 * Where tenants and their hashed keys live: a JSON file by default, Redis in production.
 * Validation happens before the store; it only enforces identity (no duplicate tenant,
 * no key for a missing tenant). One contract suite covers both adapters.
 */
export interface TenantStore {
  /** `TENANT.ALREADY_EXISTS` when the id is taken. */
  createTenant(tenant: Tenant): Promise<Result<Tenant, TenantError>>;
  getTenant(id: string): Promise<Tenant | null>;
  /** Ordered by id. */
  listTenants(): Promise<Tenant[]>;
  /** Every tenant id, in no particular order: cheap next to `listTenants` (no tenant is read). */
  listTenantIds(): Promise<string[]>;
  /** The tenants of these ids, in the order given; unknown ids are left out. */
  getTenants(ids: readonly string[]): Promise<Tenant[]>;
  /** `TENANT.NOT_FOUND` when the tenant does not exist. */
  addKey(key: ApiKeyRecord): Promise<Result<ApiKeyRecord, TenantError>>;
  /** Revoked keys included, ordered by creation. */
  listKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked (idempotent: the first revocation time stays). `TENANT.KEY_NOT_FOUND` otherwise. */
  revokeKey(tenantId: string, keyId: string, at: Date): Promise<Result<ApiKeyRecord, TenantError>>;
  /** O(1): keys are checked on every request. Revoked keys are returned too; callers decide. */
  findKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
