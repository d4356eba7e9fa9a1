import { randomUUID } from 'node:crypto';
import { realEngine } from '@shop/platform/testing';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { aggregateStoreContract } from './aggregate-store.contract.ts';
import { createMemoryAggregateStore } from './memory-aggregate-store.ts';
import { createRedisAggregateStore } from './redis-aggregate-store.ts';

aggregateStoreContract('in-process', async (options) => {
  let offset = 0;
  const store = createMemoryAggregateStore({ ...options, now: () => Date.now() + offset });
  return { store, advance: async (ms) => void (offset += ms) };
});

const redis = await realEngine('redis');
const run = `test:agg:${randomUUID()}:`;
afterAll(async () => {
  if (!redis.available) return;
  const client = new Redis(redis.url);
  const keys = await client.keys(`${run}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});
aggregateStoreContract(
  'redis',
  async (options) => ({
    store: createRedisAggregateStore(redis.url, { ...options, prefix: `${run}${randomUUID()}:` }),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }),
  { skip: !redis.available },
);
