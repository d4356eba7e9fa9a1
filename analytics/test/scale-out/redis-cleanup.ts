import { Redis } from 'ioredis';

/**
 * Deletes what one run left in a shared Redis: every key under the run's `prefix` (its
 * ANALYTICS_REDIS_PREFIX: tenants, dedup marks, rate buckets, quotas, views, positions, drift).
 * SCAN + UNLINK only: other suites' keys are never touched.
 *
 * @example
 * await deleteRunKeys('redis://127.0.0.1:6379', 'test:scale-out:ab12cd:');
 */
export async function deleteRunKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
