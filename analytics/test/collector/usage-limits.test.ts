import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { deleteRedisKeys, redisEngines } from '@shop/platform/testing';
import { createMemoryQuotaCounter } from '../../src/collector/memory-quota-counter.ts';
import { createMemoryRateLimiter } from '../../src/collector/memory-rate-limiter.ts';
import { createRedisQuotaCounter } from '../../src/collector/redis-quota-counter.ts';
import { createRedisRateLimiter } from '../../src/collector/redis-rate-limiter.ts';
import { quotaCounterContract } from './quota-counter.contract.ts';
import { rateLimiterContract } from './rate-limiter.contract.ts';

const prefix = `test:${randomUUID()}:`;
const engines = await redisEngines();

rateLimiterContract('in-process', async (now) => createMemoryRateLimiter({ now }));
quotaCounterContract('in-process', async () => createMemoryQuotaCounter());
for (const redis of engines) {
  rateLimiterContract(redis.name, async (now) => createRedisRateLimiter(redis.url, `${prefix}rate:${randomUUID()}:`, { now }), { skip: !redis.available });
  quotaCounterContract(redis.name, async () => createRedisQuotaCounter(redis.url, `${prefix}quota:${randomUUID()}:`), { skip: !redis.available });
}

afterAll(async () => {
  for (const redis of engines) if (redis.available) await deleteRedisKeys(redis.url, `${prefix}*`);
});
