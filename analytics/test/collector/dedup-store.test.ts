import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { realEngine } from '@shop/platform/testing';
import { createMemoryDedupStore } from '../../src/collector/memory-dedup-store.ts';
import { createRedisDedupStore } from '../../src/collector/redis-dedup-store.ts';
import { dedupStoreContract } from './dedup-store.contract.ts';

dedupStoreContract('in-process', async () => {
  let offset = 0;
  const store = createMemoryDedupStore({ now: () => Date.now() + offset });
  return { store, advance: async (ms) => void (offset += ms) };
});

const redis = await realEngine('redis');
const prefixes: string[] = [];
dedupStoreContract(
  'redis',
  async () => {
    const prefix = `test:${randomUUID()}:dedup:`;
    prefixes.push(prefix);
    return { store: createRedisDedupStore(redis.url, prefix), advance: (ms) => new Promise((r) => setTimeout(r, ms)) };
  },
  { skip: !redis.available },
);

describe.skipIf(!redis.available)('redis dedup cleanup', () => {
  it('leaves no keys behind beyond their ttl', async () => {
    const client = new Redis(redis.url);
    for (const prefix of prefixes) {
      const keys = await client.keys(`${prefix}*`);
      for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(0);
      if (keys.length) await client.del(...keys);
    }
    await client.quit();
  });
});

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
