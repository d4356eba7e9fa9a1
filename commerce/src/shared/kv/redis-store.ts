import { createRedisClient } from '@shop/platform';
import type { KeyValueStore } from './key-value-store.ts';

// Compare-and-set in one round trip; Lua runs atomically in Redis, unlike WATCH/MULTI across awaits.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] == '') or current == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
  return 1
end
return 0`;

const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

type ScriptCommand = (key: string, ...args: Array<string | number>) => Promise<unknown>;

/** The cache port on Redis; every key gets `prefix` so several apps or tests share one server. */
export function createRedisStore(url: string, prefix: string): KeyValueStore {
  // Errors surface through the failing command and /ready. Every command and script here takes
  // one key, so on a cluster each cart or limit goes to its own key's slot.
  const redis = createRedisClient(url, { keyPrefix: prefix, maxRetriesPerRequest: 3, lazyConnect: false });
  // Scripts go by SHA (ioredis `defineCommand`), sent in full only after a NOSCRIPT: every cart change runs one.
  redis.defineCommand('kvCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
  redis.defineCommand('kvIncrement', { numberOfKeys: 1, lua: INCREMENT });
  const scripts = redis as unknown as Record<'kvCompareAndSet' | 'kvIncrement', ScriptCommand>;
  return {
    get: (key) => redis.get(key),
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', ttlSeconds);
    },
    async compareAndSet(key, expected, value, ttlSeconds) {
      // ARGV[1] flags "expected absent" so an empty string value stays distinguishable.
      const stored = await scripts.kvCompareAndSet(key, expected === null ? '' : '1', expected ?? '', value, ttlSeconds);
      return stored === 1;
    },
    async delete(key) {
      await redis.del(key);
    },
    async increment(key, ttlSeconds) {
      return Number(await scripts.kvIncrement(key, ttlSeconds));
    },
    ttl: (key) => redis.ttl(key),
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
