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

  it('evicts the oldest marks of all tenants together, a tenant at a time never starving the bound', async () => {
    const store = createMemoryDedupStore({ maxEntries: 4 });
    await store.claim('a', ['1'], 60_000);
    await store.claim('b', ['1'], 60_000);
    await store.claim('a', ['2'], 60_000);
    await store.claim('b', ['2', '3'], 60_000);
    expect(store.size()).toBe(4);
    expect(store.evicted()).toBe(1);
    // a/1 was the oldest mark of either tenant; b's equal id is its own.
    expect(await store.claim('a', ['1'], 60_000)).toEqual(['new']);
    expect(await store.claim('b', ['2', '3'], 60_000)).toEqual(['pending', 'pending']);
  });

  it('frees the bound of released claims, and keeps a committed id a duplicate through them and lapsed ones', async () => {
    let time = 0;
    const store = createMemoryDedupStore({ maxEntries: 5_000, now: () => time });
    await store.claim('shop', ['kept'], 1_000);
    await store.commit('shop', ['kept'], 86_400_000);
    // Rate-limited requests: claimed, then released, many times over the bound.
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 1_000 }, (_, i) => `r${round}-${i}`);
      await store.claim(`t${round % 3}`, ids, 1_000);
      await store.release(`t${round % 3}`, ids);
    }
    // Claims that lapse (a collector that died between claim and append) give way too.
    await store.claim('other', Array.from({ length: 3_000 }, (_, i) => `lapsed${i}`), 1_000);
    time += 2_000;
    await store.claim('other', ['late'], 1_000);
    expect(store.evicted()).toBe(0);
    expect(await store.claim('shop', ['kept'], 1_000)).toEqual(['committed']);
    expect(await store.claim('other', ['lapsed0'], 1_000)).toEqual(['new']);
  });

  it('keeps each live mark, its state and its place in the eviction order through the queue being compacted', async () => {
    const store = createMemoryDedupStore({ maxEntries: 200 });
    const live = Array.from({ length: 50 }, (_, i) => `live${i}`);
    // Live marks scattered among thousands of released ones: the holes outnumber them, so the queue is rebuilt.
    for (let i = 0; i < live.length; i++) {
      const released = Array.from({ length: 100 }, (_, k) => `gone${i}-${k}`);
      await store.claim('t', [live[i]!, ...released], 60_000);
      await store.release('t', released);
      if (i % 2 === 0) await store.commit('t', [live[i]!], 60_000);
    }
    expect(store.size()).toBe(50);
    expect(await store.claim('t', live, 60_000)).toEqual(live.map((_, i) => (i % 2 === 0 ? 'committed' : 'pending')));
    // 160 more marks: the 10 oldest live ones go first, in claim order.
    await store.claim('t', Array.from({ length: 160 }, (_, i) => `new${i}`), 60_000);
    expect(store.evicted()).toBe(10);
    expect(await store.claim('t', live.slice(9, 11), 60_000)).toEqual(['new', 'committed']);
  });
});

describe('in-process dedup store keys', () => {
  it('never confuses tenants, whatever characters a tenant id and a messageId hold', async () => {
    const store = createMemoryDedupStore();
    expect(await store.claim('a', ['b\u0000c'], 60_000)).toEqual(['new']);
    await store.commit('a', ['b\u0000c'], 60_000);
    expect(await store.claim('a\u0000b', ['c'], 60_000)).toEqual(['new']);
    expect(await store.claim('a', ['b\u0000c'], 60_000)).toEqual(['committed']);
  });
});
