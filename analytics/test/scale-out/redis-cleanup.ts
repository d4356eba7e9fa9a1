import { Redis } from 'ioredis';

// app.ts opens the tenant store and the collector stores without ANALYTICS_REDIS_PREFIX, so
// their keys sit under these fixed prefixes whatever prefix a run chose.
const TENANTS = 'analytics:tenants:';
const COLLECTOR = 'analytics:';

async function unlinkMatching(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Deletes what one run left in a shared Redis: every key under `prefix` (views, positions, drift)
 * and, for each of `tenantIds`, its tenant record, keys, dedup marks, rate bucket and quota
 * counters. SCAN + UNLINK only: other suites' keys are never touched.
 *
 * @example
 * await deleteRunKeys('redis://127.0.0.1:6379', 'test:scale-out:ab12cd:', ['so-ab12cd-0']);
 */
export async function deleteRunKeys(url: string, prefix: string, tenantIds: readonly string[]): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    await unlinkMatching(redis, `${prefix}*`);
    for (const id of tenantIds) {
      const hashes = Object.values(await redis.hgetall(`${TENANTS}tenant-keys:${id}`));
      if (hashes.length > 0) await redis.unlink(...hashes.map((hash) => `${TENANTS}key:${hash}`));
      await redis.unlink(`${TENANTS}tenant:${id}`, `${TENANTS}tenant-keys:${id}`, `${COLLECTOR}rate:{${id}}`);
      await redis.srem(`${TENANTS}tenants`, id);
      await unlinkMatching(redis, `${COLLECTOR}dedup:{${id}}:*`);
      await unlinkMatching(redis, `${COLLECTOR}quota:{${id}}:*`);
    }
  } finally {
    redis.disconnect();
  }
}
