import type { KeyValueStore } from './key-value-store.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The embedded default for the cache port: a Map with Redis's expiry semantics, so
 * `npm start` needs no Redis. Expired keys are dropped on access and by a sweep.
 * `now` is injectable so tests can move time instead of sleeping.
 */
export function createMemoryStore(options: { now?: () => number; sweepMs?: number } = {}): KeyValueStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
  }, options.sweepMs ?? 60_000);
  sweep.unref();

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async compareAndSet(key, expected, value, ttlSeconds) {
      if ((live(key)?.value ?? null) !== expected) return false;
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, ttlSeconds) {
      const entry = live(key);
      const count = (entry ? Number(entry.value) : 0) + 1;
      entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? now() + ttlSeconds * 1000 });
      return count;
    },
    async ttl(key) {
      const entry = live(key);
      return entry ? Math.ceil((entry.expiresAt - now()) / 1000) : -2;
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
