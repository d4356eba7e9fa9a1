import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisClient } from '@shop/platform';
import { listRedisKeys, redisEngines } from '@shop/platform/testing';
import { createMemoryDedupStore } from '../../src/collector/memory-dedup-store.ts';
import { createRedisDedupStore } from '../../src/collector/redis-dedup-store.ts';
import { dedupStoreContract } from './dedup-store.contract.ts';

dedupStoreContract('in-process', async () => {
  let offset = 0;
  const store = createMemoryDedupStore({ now: () => Date.now() + offset });
  return { store, advance: async (ms) => void (offset += ms) };
});

for (const redis of await redisEngines()) {
  const prefixes: string[] = [];
  dedupStoreContract(
    redis.name,
    async () => {
      const prefix = `test:${randomUUID()}:dedup:`;
      prefixes.push(prefix);
      return { store: createRedisDedupStore(redis.url, prefix), advance: (ms) => new Promise((r) => setTimeout(r, ms)) };
    },
    { skip: !redis.available },
  );

  describe.skipIf(!redis.available)(`${redis.name} dedup cleanup`, () => {
    it('leaves no keys behind beyond their ttl', async () => {
      const client = createRedisClient(redis.url);
      for (const prefix of prefixes) {
        const keys = await listRedisKeys(redis.url, `${prefix}*`);
        for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(0);
        for (const key of keys) await client.del(key);
      }
      await client.quit();
    });
  });
}

describe('in-process dedup store bound', () => {
  it('never holds more than maxEntries marks and counts live marks it had to evict', async () => {
    const store = createMemoryDedupStore({ maxEntries: 100 });
    for (let i = 0; i < 250; i++) await store.claim('t', [`m${i}`], 60_000);
    expect(store.size()).toBe(100);
    expect(store.evicted()).toBe(150);
    // The newest marks are the ones kept.
    expect(await store.claim('t', ['m249'], 60_000)).toEqual(['pending']);
  });
});
