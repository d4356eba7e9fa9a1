import { createRedisClient } from '@shop/platform';
import type { DailySaltStore } from './daily-salt-store.ts';
import { createMemoryDailySaltStore } from './memory-daily-salt-store.ts';
import { createRedisDailySaltStore } from './redis-daily-salt-store.ts';

/** Redis or Redis Cluster (`<prefix>salt:<day>`, shared by every collector) with REDIS_URL, else in-process. */
export function openDailySaltStore(options: { redisUrl?: string; prefix?: string; now?: () => Date }): DailySaltStore {
  if (!options.redisUrl) return createMemoryDailySaltStore(options.now);
  const redis = createRedisClient(options.redisUrl);
  const store = createRedisDailySaltStore(redis, options.prefix ?? 'analytics:', options.now);
  return {
    ...store,
    async close() {
      await store.close();
      redis.disconnect();
    },
  };
}
