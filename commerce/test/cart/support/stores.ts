import { randomUUID } from 'node:crypto';
import { redisEngines } from '@shop/platform/testing';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '../../../src/shared/kv/index.ts';

export interface TestStore {
  kv: KeyValueStore;
  /** Moves the store's clock: injected for the in-process store, a real wait on Redis. */
  advance: (seconds: number) => Promise<void>;
}

export interface StoreEngine {
  name: 'in-process' | 'redis' | 'redis-cluster';
  skip: boolean;
  open: () => TestStore;
}

const redisList = await redisEngines();

/**
 * The in-process store answers within the same tick, so concurrent requests would run one
 * after another and a missing compare-and-set would go unnoticed. A turn of the event loop
 * before each call, as a network round trip gives, lets them interleave as they do on Redis.
 */
function withLatency(kv: KeyValueStore): KeyValueStore {
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    get: async (key) => (await tick(), kv.get(key)),
    set: async (key, value, ttl) => (await tick(), kv.set(key, value, ttl)),
    compareAndSet: async (key, expected, value, ttl) => (await tick(), kv.compareAndSet(key, expected, value, ttl)),
    delete: async (key) => (await tick(), kv.delete(key)),
    increment: async (key, ttl) => (await tick(), kv.increment(key, ttl)),
    ttl: async (key) => (await tick(), kv.ttl(key)),
    ping: () => kv.ping(),
    close: () => kv.close(),
  };
}

/** The key-value engines for `describe.each`; each `open()` is isolated (fresh map, or a unique Redis key prefix). */
export function storeEngines(): StoreEngine[] {
  return [
    {
      name: 'in-process',
      skip: false,
      open: () => {
        let offset = 0;
        return {
          kv: withLatency(createMemoryStore({ now: () => Date.now() + offset })),
          advance: async (seconds) => void (offset += seconds * 1000),
        };
      },
    },
    ...redisList.map((redis) => ({
      name: redis.name,
      skip: !redis.available,
      open: () => ({
        kv: createRedisStore(redis.url, `test:cart:${randomUUID()}:`),
        advance: (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000)),
      }),
    })),
  ];
}
