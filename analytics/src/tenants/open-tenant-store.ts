import { createFileTenantStore, tenantFilePath } from './file-tenant-store.ts';
import { createRedisTenantStore } from './redis-tenant-store.ts';
import type { TenantStore } from './tenant-store.ts';

/**
 * `REDIS_URL` set: Redis (shared by every instance), keys under `<prefix>tenants:` where `prefix`
 * is ANALYTICS_REDIS_PREFIX (default `analytics:`, the layout stores have always used); unset:
 * the JSON file under DATA_DIR.
 */
export async function openTenantStore(options: { redisUrl?: string; dataDir: string; prefix?: string }): Promise<TenantStore> {
  const store = options.redisUrl
    ? createRedisTenantStore(options.redisUrl, `${options.prefix ?? 'analytics:'}tenants:`)
    : createFileTenantStore(tenantFilePath(options.dataDir));
  await store.ping();
  return store;
}
