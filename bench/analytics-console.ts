/**
 * The analytics console and the usage report with thousands of tenants: the tenants page (a page
 * of 50 and its usage), a filtered page, one tenant's page, and the unpaged `/admin/usage`.
 *
 *   npm run bench:console                                   # embedded stores, 2,000 tenants
 *   REDIS_URL=redis://127.0.0.1:6379 TENANTS=10000 npm run bench:console
 *
 * BENCH_SECONDS (default 10) per scenario, CONCURRENCY (default 4).
 */
import { startBenchAnalyticsApp } from './lib/analytics-app.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const TENANTS = Number(process.env.TENANTS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const TOKEN = 'bench-console-admin-token-0123456789';
const redisUrl = process.env.REDIS_URL;

const { app, base, close } = await startBenchAnalyticsApp('console', { ANALYTICS_ADMIN_TOKEN: TOKEN });
try {

  const t0 = performance.now();
  for (let i = 0; i < TENANTS; i++) {
    const id = `shop-${String(i).padStart(5, '0')}`;
    const created = await app.tenants.createTenant({ id, name: `Shop ${i}`, timeZone: i % 2 ? 'Asia/Kolkata' : 'Europe/Paris' });
    if (!created.ok) throw new Error(created.error.message);
  }
  // Some traffic, so the counters have a series per tenant for a few hundred tenants.
  for (let i = 0; i < Math.min(TENANTS, 300); i++) {
    const key = await app.tenants.createKey(`shop-${String(i).padStart(5, '0')}`, 'write');
    if (!key.ok) throw new Error(key.error.message);
    await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key.value.plainKey}:`).toString('base64')}` },
      body: JSON.stringify({ batch: Array.from({ length: 5 }, (_, k) => ({ type: 'track', userId: `u${k}`, event: 'Viewed', messageId: `m${i}-${k}` })) }),
    });
  }
  console.log(`${TENANTS} tenants (${redisUrl ? 'Redis' : 'embedded'} stores) set up in ${Math.round(performance.now() - t0)} ms`);

  const signIn = await fetch(`${base}/console/sign-in`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie.startsWith('analytics_console=')) throw new Error(`sign-in answered ${signIn.status}`);

  const results: LoadResult[] = [];
  const run = async (name: string, path: (i: number) => string, headers: Record<string, string>) =>
    results.push(await runLoad({ name, baseUrl: base, concurrency: CONCURRENCY, seconds: SECONDS, next: (w, i) => ({ method: 'GET', path: path(w * 1_000_000 + i), headers }) }));
  const session = { cookie };
  await run('console: tenants page (50 of them, with usage)', () => '/console', session);
  await run('console: filtered tenants page (?q=)', (i) => `/console?q=shop+${i % 100}`, session);
  await run('console: one tenant (settings, usage, keys, erasures)', (i) => `/console/tenants/shop-${String(i % TENANTS).padStart(5, '0')}`, session);
  await run(`admin API: /admin/usage, all ${TENANTS} tenants`, () => '/admin/usage', { authorization: `Bearer ${TOKEN}` });
  printResults(results);
} finally {
  await close();
}
