import { afterAll } from 'vitest';
import { createRedisClient, scanKeys, unlinkKeys } from '../src/redis/redis-client.ts';
import { realEngine } from './engines.ts';
import { redisClusterAvailable, startRedisCluster } from './redis-cluster.ts';

export interface RedisEngine {
  /** `redis`: the shared server (TEST_REDIS_URL); `redis-cluster`: three masters this file started. */
  name: 'redis' | 'redis-cluster';
  available: boolean;
  url: string;
}

/**
 * The two Redis shapes every Redis adapter's contract suite runs on: one server and a Redis Cluster
 * of three masters (started for the calling test file, stopped in its `afterAll`). Unavailable
 * ones skip, except under `REQUIRE_SERVICES=1`, where they fail.
 *
 * @example
 * for (const redis of await redisEngines()) {
 *   keyValueStoreContract(redis.name, async () => ({ store: createRedisStore(redis.url, prefix) }), { skip: !redis.available });
 * }
 */
export async function redisEngines(): Promise<RedisEngine[]> {
  const single = await realEngine('redis');
  const engines: RedisEngine[] = [{ name: 'redis', available: single.available, url: single.url }];
  if (await redisClusterAvailable()) {
    const cluster = await startRedisCluster({ masters: 3 });
    afterAll(() => cluster.stop());
    engines.push({ name: 'redis-cluster', available: true, url: cluster.url });
  } else {
    engines.push({ name: 'redis-cluster', available: false, url: 'redis+cluster://127.0.0.1:9' });
  }
  return engines;
}

/** Deletes a test's keys (SCAN + UNLINK on every master): on one server or on a cluster. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const client = createRedisClient(url, { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of scanKeys(client, pattern)) await unlinkKeys(client, keys);
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
}

/** Every key matching `pattern`, sorted: on one server or on a cluster. */
export async function listRedisKeys(url: string, pattern: string): Promise<string[]> {
  const client = createRedisClient(url, { maxRetriesPerRequest: 1 });
  try {
    const found: string[] = [];
    for await (const keys of scanKeys(client, pattern)) found.push(...keys);
    return found.sort();
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
}
