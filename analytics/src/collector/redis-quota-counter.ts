import { createRedisClient } from '@shop/platform';
import type { QuotaCounter } from './quota-counter.ts';

const CONSUME = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local granted = math.max(0, math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used))
if granted > 0 then redis.call('INCRBY', KEYS[1], granted) end
redis.call('EXPIRE', KEYS[1], 259200)
return granted`;

const REFUND = `
local left = tonumber(redis.call('DECRBY', KEYS[1], ARGV[1]))
if left < 0 then redis.call('SET', KEYS[1], '0', 'KEEPTTL') end
return 0`;

/** Usage shared by every collector instance: `<prefix>{tenant}:<day>`, kept three days. */
export function createRedisQuotaCounter(url: string, prefix: string): QuotaCounter {
  const redis = createRedisClient(url); // errors surface through the failing command and /ready
  const key = (tenantId: string, day: string) => `${prefix}{${tenantId}}:${day}`;
  return {
    async consume(tenantId, day, count, limit) {
      return Number(await redis.eval(CONSUME, 1, key(tenantId, day), count, limit));
    },
    async refund(tenantId, day, count) {
      await redis.eval(REFUND, 1, key(tenantId, day), count);
    },
    async used(tenantId, day) {
      return Number((await redis.get(key(tenantId, day))) ?? 0);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
