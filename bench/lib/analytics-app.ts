import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@shop/platform';
import { createAnalyticsApp } from '../../analytics/src/app.ts';
import { loadAnalyticsConfig } from '../../analytics/src/config.ts';
import { deleteRedisKeys } from './redis-cleanup.ts';

export interface BenchAnalyticsApp {
  app: Awaited<ReturnType<typeof createAnalyticsApp>>;
  base: string;
  /** Closes the app, removes its data directory and, on Redis, its keys. */
  close(): Promise<void>;
}

/**
 * The settings of an analytics app under a request benchmark: no rate limit or load shedding
 * (they would measure the guards, not the route), no in-process batch, one log partition.
 */
export const benchAnalyticsEnv = (dataDir: string) => ({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  ANALYTICS_RATE_LIMIT_MAX: '0',
  ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0',
  ANALYTICS_BATCH_IN_PROCESS: 'false',
  ANALYTICS_LOG_PARTITIONS: '1',
});

/**
 * The analytics app in this process for a request benchmark, listening on a free loopback port:
 * no rate limit or load shedding (they would measure the guards, not the route), no in-process
 * batch, one log partition; Redis stores under a prefix of its own when `REDIS_URL` is set.
 */
export async function startBenchAnalyticsApp(name: string, env: Record<string, string> = {}): Promise<BenchAnalyticsApp> {
  const redisUrl = process.env.REDIS_URL;
  const prefix = `bench:${name}:${randomUUID()}:`;
  const dir = await mkdtemp(join(tmpdir(), `bench-${name}-`));
  const config = loadAnalyticsConfig({
    ...benchAnalyticsEnv(dir),
    ...(redisUrl ? { REDIS_URL: redisUrl, ANALYTICS_REDIS_PREFIX: prefix } : {}),
    ...env,
  });
  const app = await createAnalyticsApp(config, createLogger(`bench-${name}`, 'silent'));
  const close = async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
    if (redisUrl) await deleteRedisKeys(redisUrl, [`${prefix}*`]);
  };
  try {
    await app.server.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await close();
    throw error;
  }
  return { app, base: `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`, close };
}
