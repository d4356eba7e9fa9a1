import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { realEngine } from '@shop/platform/testing';
import { createMemoryDriftStore, createRedisDriftStore } from '../../src/serving/index.ts';
import { driftStoreContract } from './drift-store.contract.ts';

driftStoreContract('in-process', async (options) => createMemoryDriftStore(options));

const redis = await realEngine('redis');
const prefix = `test:${randomUUID()}:`;
driftStoreContract('redis', async (options) => createRedisDriftStore(redis.url, { prefix: `${prefix}${randomUUID()}:`, ...options }), {
  skip: !redis.available,
});

afterAll(async () => {
  if (!redis.available) return;
  const client = new Redis(redis.url);
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await client.del(...keys);
  await client.quit();
});
