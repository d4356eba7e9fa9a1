import type { KeyValueStore } from './key-value-store.ts';
import { createMemoryStore } from './memory-store.ts';
import { createRedisStore } from './redis-store.ts';

export type { KeyValueStore };
export { createMemoryStore, createRedisStore };

/** `REDIS_URL` set: Redis; unset: the in-process store. */
export async function openKeyValueStore(url: string | undefined, prefix: string): Promise<KeyValueStore> {
  if (!url) return createMemoryStore();
  const store = createRedisStore(url, prefix);
  await store.ping();
  return store;
}
