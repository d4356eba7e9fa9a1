/**
 * Browse-and-cart benchmark: product listing, product detail and add-to-cart at concurrency 32
 * against the commerce app on REAL PostgreSQL + Redis (started here as a child process,
 * exactly as `npm start` runs it), load generated on this machine over loopback.
 *
 *   npm run bench:commerce            (BENCH_SECONDS=10 BENCH_CONCURRENCY=32 by default)
 *   BENCH_SCENARIOS=cart npm run bench:commerce   (only add to cart; also listing, detail)
 *
 * BENCH_APPS=n runs n app processes on the one database (clients split evenly between them, each
 * process's figures measured alone and added up: req/s summed, percentiles the worst of the n);
 * BENCH_APP_ROOT runs another checkout's app (an earlier commit) for same-hour comparisons. Each
 * scenario also prints the app processes' CPU time per request, read from /proc, and the statements
 * they sent to PostgreSQL per request; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { appsCpuMs, appsStatements, startCommerceApps, stopCommerceApps } from './lib/commerce-apps.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { printResults, runLoad, type LoadResult, type RequestSpec } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const appCount = Number(process.env.BENCH_APPS ?? 1);

const database = await freshPostgresDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'bench-commerce-'));
const apps = await startCommerceApps({
  count: appCount,
  dataDir,
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each app process, written when it stops.
  cpuProfileDir: process.env.BENCH_CPU_PROF,
  env: {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'warn',
    // The per-client limit runs (its cost is part of the figures) but one load generator never reaches it.
    RATE_LIMIT_MAX: process.env.BENCH_RATE_LIMIT_MAX ?? '1000000000',
    DATABASE_POOL_SIZE: String(Math.min(Math.ceil(concurrency / appCount), 20)),
  },
});
const base = apps[0]!.base;

/** One scenario over all app processes at once, each with its share of the clients. */
async function scenario(name: string, next: (worker: number, i: number) => RequestSpec | Promise<RequestSpec>): Promise<LoadResult> {
  const statementsBefore = (await appsStatements(apps, dataDir)).total;
  const cpuBefore = appsCpuMs(apps);
  const share = Math.max(1, Math.floor(concurrency / apps.length));
  const parts = await Promise.all(apps.map((app, a) => runLoad({ name, baseUrl: app.base, concurrency: share, seconds, next: (w, i) => next(a * share + w, i) })));
  const cpuMs = appsCpuMs(apps) - cpuBefore;
  const statements = (await appsStatements(apps, dataDir)).total - statementsBefore;
  const requests = parts.reduce((n, p) => n + p.requests, 0);
  const worst = (k: 'p50' | 'p95' | 'p99' | 'max') => Math.max(...parts.map((p) => p[k]));
  console.log(
    `${name}: app CPU ${(cpuMs / requests).toFixed(3)} ms and ${(statements / requests).toFixed(2)} database statements per request (${apps.length} process${apps.length > 1 ? 'es' : ''})`,
  );
  return {
    name,
    requests,
    errors: parts.reduce((n, p) => n + p.errors, 0),
    statuses: Object.assign({}, ...parts.map((p) => p.statuses)) as Record<string, number>,
    seconds,
    rps: parts.reduce((n, p) => n + p.rps, 0),
    p50: worst('p50'),
    p95: worst('p95'),
    p99: worst('p99'),
    max: worst('max'),
  };
}

try {
  const products: Array<{ id: string; slug: string; variants?: Array<{ id: string }> }> = [];
  let cursor: string | null = null;
  do {
    const page = (await (await fetch(`${base}/api/products?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
      items: typeof products;
      nextCursor: string | null;
    };
    products.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const categories = ((await (await fetch(`${base}/api/categories`)).json()) as { items?: Array<{ slug: string }> }).items ?? [];
  const details = await Promise.all(
    products.slice(0, 100).map(async (p) => (await (await fetch(`${base}/api/products/${p.id}`)).json()) as { variants: Array<{ id: string; available?: number }> }),
  );
  // In-stock variants only: an add of a sold-out variant is a correct 409, not a measurement of adding.
  const variantIds = details.flatMap((d) => d.variants.filter((v) => (v.available ?? 1) > 5).map((v) => v.id));
  console.log(`catalog: ${products.length} products, ${categories.length} top categories, ${variantIds.length} variants sampled`);
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  const sorts = ['newest', 'price_asc', 'price_desc', 'name'];

  // BENCH_SCENARIOS=listing,detail,cart (the default: all three) runs only the named ones.
  const only = new Set((process.env.BENCH_SCENARIOS ?? 'listing,detail,cart').split(','));
  const results: LoadResult[] = [];
  if (only.has('listing')) results.push(
    await scenario('product listing (GET /api/products)', (w, i) => ({
      method: 'GET',
      path: `/api/products?limit=24&sort=${pick(sorts, i)}${i % 3 === 0 && categories.length ? `&category=${pick(categories, w + i).slug}` : ''}`,
    })),
  );
  if (only.has('detail')) results.push(await scenario('product detail (GET /api/products/:id)', (w, i) => ({ method: 'GET', path: `/api/products/${pick(products, w * 7 + i).id}` })));
  // Each worker fills a fresh guest cart of up to 10 lines, then starts another (a cart token per shopper).
  const tokens = new Map<number, string>();
  if (only.has('cart')) results.push(
    await scenario('add to cart (POST /api/cart/items)', async (w, i) => {
      if (i % 10 === 0) {
        const res = await fetch(`${base}/api/cart/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ variantId: pick(variantIds, w), quantity: 1 }),
        });
        tokens.set(w, ((await res.json()) as { cartToken: string }).cartToken);
      }
      return {
        method: 'POST',
        path: '/api/cart/items',
        headers: { 'x-cart-token': tokens.get(w)! },
        body: { variantId: pick(variantIds, w * 13 + i), quantity: 1 },
      };
    }),
  );
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\n${new Date().toISOString()}  concurrency ${concurrency}, ${seconds}s per scenario, PostgreSQL + Redis, ${apps.length} app process(es), load average ${load}`);
  printResults(results);
} finally {
  await stopCommerceApps(apps);
  await database.drop();
}
