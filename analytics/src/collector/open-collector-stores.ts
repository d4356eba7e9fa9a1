import type { DedupStore } from './dedup-store.ts';
import { createMemoryDedupStore } from './memory-dedup-store.ts';
import { createMemoryQuotaCounter } from './memory-quota-counter.ts';
import { createMemoryRateLimiter } from './memory-rate-limiter.ts';
import type { QuotaCounter } from './quota-counter.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { createRedisDedupStore } from './redis-dedup-store.ts';
import { createRedisQuotaCounter } from './redis-quota-counter.ts';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';

export interface CollectorStores {
  dedup: DedupStore;
  rateLimiter: RateLimiter;
  quota: QuotaCounter;
  close(): Promise<void>;
}

/**
 * `REDIS_URL` set: dedup marks, rate buckets and quota counters in Redis, shared by every
 * collector instance, under `<prefix>dedup:`, `<prefix>rate:` and `<prefix>quota:` where `prefix`
 * is ANALYTICS_REDIS_PREFIX (default `analytics:`). Unset: in-process (one instance; restarts forget them).
 */
export async function openCollectorStores(options: { redisUrl?: string; prefix?: string; maxDedupEntries?: number }): Promise<CollectorStores> {
  const prefix = options.prefix ?? 'analytics:';
  const stores = options.redisUrl
    ? {
        dedup: createRedisDedupStore(options.redisUrl, `${prefix}dedup:`),
        rateLimiter: createRedisRateLimiter(options.redisUrl, `${prefix}rate:`),
        quota: createRedisQuotaCounter(options.redisUrl, `${prefix}quota:`),
      }
    : {
        dedup: createMemoryDedupStore(options.maxDedupEntries ? { maxEntries: options.maxDedupEntries } : {}),
        rateLimiter: createMemoryRateLimiter(),
        quota: createMemoryQuotaCounter(),
      };
  await stores.dedup.ping();
  return {
    ...stores,
    async close() {
      await Promise.all([stores.dedup.close(), stores.rateLimiter.close(), stores.quota.close()]);
    },
  };
}
