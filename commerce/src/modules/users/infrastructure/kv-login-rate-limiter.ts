import type { KeyValueStore } from '../../../shared/kv/index.ts';
import type { LoginRateLimiter } from '../application/ports/users.ports.ts';

/**
 * The port has no decrement; a few compare-and-set rounds give a slot back without losing a
 * concurrent count. The window's expiry is rewritten from the whole-second ttl, so it may drift
 * by under a second; that happens only on successful sign-ins.
 */
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
 * Every attempt takes a slot up front (atomic increment) and a successful one gives it back:
 * checking first and counting later would let parallel guesses all pass the check.
 * Refused attempts keep their increment; the window's end is fixed at its first attempt,
 * so that never prolongs a block.
 */
export function createKvLoginRateLimiter(
  kv: KeyValueStore,
  options: { maxAttempts: number; windowSeconds: number; prefix?: string },
): LoginRateLimiter {
  const prefix = options.prefix ?? 'users:login-failures:';
  return {
    async attempt(keys) {
      const taken: string[] = [];
      // In order, stopping at the first exhausted key: a blocked IP spends nothing of the emails it tries.
      for (const key of keys.map((k) => prefix + k)) {
        const count = await kv.increment(key, options.windowSeconds);
        if (count > options.maxAttempts) return { allowed: false, retryAfterSeconds: Math.max(1, await kv.ttl(key)) };
        taken.push(key);
      }
      return {
        allowed: true,
        release: async () => {
          await Promise.all(taken.map((key) => decrement(kv, key)));
        },
      };
    },
  };
}
