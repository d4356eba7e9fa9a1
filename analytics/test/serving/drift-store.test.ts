import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { deleteRedisKeys, redisEngines } from '@shop/platform/testing';
import { createMemoryDriftStore, createRedisDriftStore } from '../../src/serving/index.ts';
import { driftStoreContract } from './drift-store.contract.ts';

driftStoreContract('in-process', async (options) => createMemoryDriftStore(options));

const prefix = `test:${randomUUID()}:`;
const engines = await redisEngines();
for (const redis of engines) {
  driftStoreContract(redis.name, async (options) => createRedisDriftStore(redis.url, { prefix: `${prefix}${randomUUID()}:`, ...options }), {
    skip: !redis.available,
  });
}

afterAll(async () => {
  for (const redis of engines) if (redis.available) await deleteRedisKeys(redis.url, `${prefix}*`);
});
