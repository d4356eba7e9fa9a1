import { createRedisClient } from '@shop/platform';
import type { RateLimiter } from './rate-limiter.ts';

// The same arithmetic as refill() in rate-limiter.ts, atomic across instances.
// Returns 0 when admitted, else the milliseconds until it would be.
const TAKE = `
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local capacity = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if state[1] then
  tokens = math.min(capacity, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) / 1000 * rate)
end
local need = math.min(count, capacity)
local wait = 0
if tokens < need then
  wait = math.ceil((need - tokens) / rate * 1000)
else
  tokens = tokens - count
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', ARGV[1])
-- Once refilled the bucket is as good as absent: let Redis forget it then.
redis.call('PEXPIRE', KEYS[1], math.max(1000, math.ceil((capacity - tokens) / rate * 1000) + 1000))
return wait`;

export function createRedisRateLimiter(url: string, prefix: string, options: { now?: () => number } = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const redis = createRedisClient(url); // errors surface through the failing command and /ready
  return {
    async take(tenantId, count, ratePerSecond, capacity) {
      const wait = Number(await redis.eval(TAKE, 1, `${prefix}{${tenantId}}`, now(), count, ratePerSecond, capacity));
      return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
