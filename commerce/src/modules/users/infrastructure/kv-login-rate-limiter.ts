import type { KeyValueStore } from '../../../shared/kv/index.ts';
import type { LoginRateLimiter } from '../application/users.ports.ts';

/** The port has no decrement; a few compare-and-set rounds give a slot back without losing a concurrent count. */
async function decrement(kv: KeyValueStore, key: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const current = await kv.get(key);
    if (current === null) return;
    const ttl = await kv.ttl(key);
    if (ttl <= 0) return;
    if (await kv.compareAndSet(key, current, String(Math.max(0, Number(current) - 1)), ttl)) return;
  }
}

/**
 * Fixed-window failure counters in the shared cache, so the limit holds across instances.
 * Every attempt takes a slot up front (atomic increment) and successful ones give it back:
 * checking first and counting later would let parallel guesses all pass the check.
 */
export function createKvLoginRateLimiter(
  kv: KeyValueStore,
  options: { maxAttempts: number; windowSeconds: number; prefix?: string },
): LoginRateLimiter {
  const prefix = options.prefix ?? 'users:login-failures:';
  return {
    async attempt(keys) {
      const full = keys.map((key) => prefix + key);
      const counts = await Promise.all(full.map((key) => kv.increment(key, options.windowSeconds)));
      const releaseAll = async () => {
        await Promise.all(full.map((key) => decrement(kv, key)));
      };
      const over = full.filter((_, i) => (counts[i] ?? 0) > options.maxAttempts);
      if (over.length === 0) return { allowed: true, release: releaseAll };
      // A refused attempt checked no password, so it is not a failure and must not count.
      const ttls = await Promise.all(over.map((key) => kv.ttl(key)));
      await releaseAll();
      return { allowed: false, retryAfterSeconds: Math.max(1, ...ttls) };
    },
  };
}
