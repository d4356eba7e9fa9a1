/**
 * What a share key costs next to a read key: the same dashboard reads (`/v1/metrics`, an hourly
 * `/v1/query`) with each, and the 403 a share key gets outside its scope (`/v1/goals`).
 *
 *   npm run bench:share-link                                  # embedded stores
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:share-link
 *
 * BENCH_SECONDS (default 5) per scenario, CONCURRENCY (default 4).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@shop/platform';
import { createAnalyticsApp } from '../analytics/src/app.ts';
import { loadAnalyticsConfig } from '../analytics/src/config.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';
import { deleteRedisKeys } from './lib/redis-cleanup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const redisUrl = process.env.REDIS_URL;
const prefix = `bench:share:${randomUUID()}:`;

const dir = await mkdtemp(join(tmpdir(), 'bench-share-'));
const config = loadAnalyticsConfig({
  DATA_DIR: dir,
  LOG_LEVEL: 'silent',
  ANALYTICS_RATE_LIMIT_MAX: '0',
  ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0',
  ANALYTICS_BATCH_IN_PROCESS: 'false',
  ANALYTICS_LOG_PARTITIONS: '1',
  ...(redisUrl ? { REDIS_URL: redisUrl, ANALYTICS_REDIS_PREFIX: prefix } : {}),
});
const app = await createAnalyticsApp(config, createLogger('bench-share', 'silent'));
try {
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  await app.tenants.createTenant({ id: 'shop', name: 'Shop', timeZone: 'Europe/Paris' });
  const read = await app.tenants.createKey('shop', 'read');
  const share = await app.tenants.createShareKey('shop', { expiresAt: new Date(Date.now() + 86_400_000) });
  if (!read.ok || !share.ok) throw new Error('setup failed');

  const results: LoadResult[] = [];
  const run = async (name: string, path: string, key: string) =>
    results.push(await runLoad({ name, baseUrl: base, concurrency: CONCURRENCY, seconds: SECONDS, next: () => ({ method: 'GET', path, headers: { authorization: `Bearer ${key}` } }) }));
  const query = '/v1/query?metric=events&granularity=hour';
  await run('read key: /v1/metrics', '/v1/metrics', read.value.plainKey);
  await run('share key: /v1/metrics', '/v1/metrics', share.value.plainKey);
  await run('read key: /v1/query (24 h by hour)', query, read.value.plainKey);
  await run('share key: /v1/query (24 h by hour)', query, share.value.plainKey);
  await run('share key: /v1/goals (403 out of scope)', '/v1/goals', share.value.plainKey);
  printResults(results);
} finally {
  await app.close();
  await rm(dir, { recursive: true, force: true });
  if (redisUrl) await deleteRedisKeys(redisUrl, [`${prefix}*`]);
}
