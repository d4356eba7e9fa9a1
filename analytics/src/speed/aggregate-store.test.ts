import { randomUUID } from 'node:crypto';
import { realEngine } from '@shop/platform/testing';
import { aggregateStoreContract } from './aggregate-store.contract.ts';
import { createMemoryAggregateStore } from './memory-aggregate-store.ts';
import { createRedisAggregateStore } from './redis-aggregate-store.ts';

aggregateStoreContract('in-process', async (options) => {
  let offset = 0;
  const store = createMemoryAggregateStore({ ...options, now: () => Date.now() + offset });
  return { store, advance: async (ms) => void (offset += ms) };
});

const redis = await realEngine('redis');
aggregateStoreContract(
  'redis',
  async (options) => ({
    store: createRedisAggregateStore(redis.url, { ...options, prefix: `test:agg:${randomUUID()}:` }),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }),
  { skip: !redis.available },
);
