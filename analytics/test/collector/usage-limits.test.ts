import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { realEngine } from '@shop/platform/testing';
import { createMemoryQuotaCounter } from '../../src/collector/memory-quota-counter.ts';
import { createMemoryRateLimiter } from '../../src/collector/memory-rate-limiter.ts';
import { createRedisQuotaCounter } from '../../src/collector/redis-quota-counter.ts';
import { createRedisRateLimiter } from '../../src/collector/redis-rate-limiter.ts';
import { quotaCounterContract } from './quota-counter.contract.ts';
import { rateLimiterContract } from './rate-limiter.contract.ts';

const redis = await realEngine('redis');
const prefix = `test:${randomUUID()}:`;

rateLimiterContract('in-process', async (now) => createMemoryRateLimiter({ now }));
rateLimiterContract('redis', async (now) => createRedisRateLimiter(redis.url, `${prefix}rate:${randomUUID()}:`, { now }), { skip: !redis.available });
quotaCounterContract('in-process', async () => createMemoryQuotaCounter());
quotaCounterContract('redis', async () => createRedisQuotaCounter(redis.url, `${prefix}quota:${randomUUID()}:`), { skip: !redis.available });

afterAll(async () => {
  if (!redis.available) return;
  const client = new Redis(redis.url);
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await client.del(...keys);
  await client.quit();
});
