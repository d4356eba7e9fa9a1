import { randomUUID } from 'node:crypto';
import { redisEngines } from '@shop/platform/testing';
import { keyValueStoreContract } from './key-value-store.contract.ts';
import { createMemoryStore } from '../../src/shared/kv/memory-store.ts';
import { createRedisStore } from '../../src/shared/kv/redis-store.ts';

keyValueStoreContract('in-process', async () => {
  let offset = 0;
  const store = createMemoryStore({ now: () => Date.now() + offset });
  return { store, advance: async (seconds) => void (offset += seconds * 1000) };
});

for (const redis of await redisEngines()) {
  keyValueStoreContract(
    redis.name,
    async () => ({
      store: createRedisStore(redis.url, `test:${randomUUID()}:`),
      advance: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    }),
    { skip: !redis.available },
  );
}
