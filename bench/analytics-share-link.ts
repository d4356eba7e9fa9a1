/**
 * What a share key costs next to a read key: the same dashboard reads (`/v1/metrics`, an hourly
 * `/v1/query`) with each, and the 403 a share key gets outside its scope (`/v1/goals`).
 *
 *   npm run bench:share-link                                  # embedded stores
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:share-link
 *
 * BENCH_SECONDS (default 5) per scenario, CONCURRENCY (default 4).
 */
import { startBenchAnalyticsApp } from './lib/analytics-app.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);

const { app, base, close } = await startBenchAnalyticsApp('share');
try {
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
  await close();
}
