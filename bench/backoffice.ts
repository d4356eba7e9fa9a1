/**
 * The back office under load: its three heaviest page types (a filtered product list on a later keyset page, a
 * product with its variants and stock histories, the audit log) and the API's audit list, each for BENCH_SECONDS at
 * BENCH_CONCURRENCY requests in flight (closed loop), signed in as the admin. Commerce (embedded engines, demo
 * catalog) and the back office run as child processes, as `npm start` runs them; load from this machine over loopback.
 *
 *   npm run bench:backoffice        (BENCH_SECONDS=8 BENCH_CONCURRENCY=8 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' };

const dataDir = mkdtempSync(join(tmpdir(), 'bench-backoffice-'));
const [commercePort, backofficePort] = [await freePort(), await freePort()];
const env = { LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0', SHED_EVENT_LOOP_DELAY_MS: '0' };
const commerce = runTs('commerce/src/main.ts', { ...env, COMMERCE_PORT: String(commercePort), DATA_DIR: dataDir, SEED_DEMO_DATA: 'true', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
const api = `http://127.0.0.1:${commercePort}`;
const site = `http://127.0.0.1:${backofficePort}`;
let backoffice: ReturnType<typeof runTs> | undefined;

async function measure(name: string, origin: string, paths: string[], headers: Record<string, string>) {
  const pool = new Pool(origin, { connections: concurrency });
  const get = async (path: string) => {
    const res = await pool.request({ method: 'GET', path, headers });
    await res.body.dump();
    return res.statusCode;
  };
  for (let i = 0; i < 20; i++) await get(paths[i % paths.length]!);
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let errors = 0;
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const status = await get(paths[n++ % paths.length]!).catch(() => 0);
        if (status !== 200) errors++;
        histogram.recordValue(Math.round((performance.now() - sent) * 1000));
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const ms = (p: number) => (histogram.getValueAtPercentile(p) / 1000).toFixed(1);
  console.log(
    `| ${name} | ${(histogram.totalCount / elapsed).toFixed(1)} | ${ms(50)} | ${ms(95)} | ${ms(99)} | ${(histogram.maxValue / 1000).toFixed(1)} | ${errors} |`,
  );
  await pool.close();
}

try {
  await waitFor(`${api}/ready`, 600_000);
  backoffice = runTs('backoffice/src/server/main.ts', { ...env, BACKOFFICE_PORT: String(backofficePort), COMMERCE_URL: api });
  await waitFor(`${site}/health`, 60_000);

  const login = await fetch(`${api}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const bearer = ((await login.json()) as { token: string }).token;

  // Audit entries to read: a stock adjustment on 40 variants, by the admin.
  const { items } = (await (await fetch(`${api}/api/admin/products?limit=40`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { items: { id: string }[] };
  for (const { id } of items) {
    const detail = (await (await fetch(`${api}/api/admin/products/${id}`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { variants: { id: string }[] };
    await fetch(`${api}/api/admin/variants/${detail.variants[0]!.id}/stock-adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ delta: 5, reason: 'bench delivery' }),
    });
  }
  const page2 = (await (await fetch(`${api}/api/admin/products?limit=25&status=published`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { nextCursor: string };

  console.log(`back office at ${concurrency} requests in flight for ${seconds} s per row (closed loop)\n`);
  console.log('| page | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |');
  console.log('|---|---|---|---|---|---|---|');
  await measure('products, filtered, keyset page 2', site, [`/products?status=published&cursor=${page2.nextCursor}`, '/products?q=linen&inStock=true'], { cookie });
  await measure('product (variants, stock histories)', site, items.slice(0, 10).map((p) => `/products/${p.id}`), { cookie });
  await measure('audit log (50 entries)', site, ['/audit', '/audit?subjectType=variant'], { cookie });
  await measure('API: GET /api/admin/audit (50 entries)', api, ['/api/admin/audit?limit=50'], { authorization: `Bearer ${bearer}` });
} finally {
  backoffice?.child.kill('SIGTERM');
  commerce.child.kill('SIGTERM');
  await Promise.all([backoffice?.exited, commerce.exited]);
  rmSync(dataDir, { recursive: true, force: true });
}
