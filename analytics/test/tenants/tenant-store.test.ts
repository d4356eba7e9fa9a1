import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisKeys, redisEngines } from '@shop/platform/testing';
import { createFileTenantStore, createRedisTenantStore } from '../../src/tenants/index.ts';
import { tenantStoreContract } from './tenant-store.contract.ts';

tenantStoreContract('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tenants-'));
  const path = join(dir, 'nested', 'tenants.json');
  return {
    store: createFileTenantStore(path),
    reopen: () => createFileTenantStore(path),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

for (const redis of await redisEngines()) {
  tenantStoreContract(
    redis.name,
    async () => {
      const prefix = `test:${randomUUID()}:`;
      return {
        store: createRedisTenantStore(redis.url, prefix),
        reopen: () => createRedisTenantStore(redis.url, prefix),
        cleanup: () => deleteRedisKeys(redis.url, `${prefix}*`),
      };
    },
    { skip: !redis.available },
  );
}
