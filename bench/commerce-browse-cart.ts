/**
 * Browse-and-cart benchmark: product listing, product detail and add-to-cart at concurrency 32
 * against the commerce app on REAL PostgreSQL + Redis (started here as a child process,
 * exactly as `npm start` runs it), load generated on this machine over loopback.
 *
 *   npm run bench:commerce            (BENCH_SECONDS=10 BENCH_CONCURRENCY=32 by default)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const database = await freshPostgresDatabase();
const port = await freePort();
const app = runTs('commerce/src/main.ts', {
  COMMERCE_PORT: String(port),
  DATABASE_URL: database.url,
  REDIS_URL: redisUrl,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-commerce-')),
  SEED_DEMO_DATA: 'true',
  LOG_LEVEL: 'warn',
  // The per-client limit runs (its cost is part of the figures) but one load generator never reaches it.
  RATE_LIMIT_MAX: process.env.BENCH_RATE_LIMIT_MAX ?? '1000000000',
  DATABASE_POOL_SIZE: String(Math.min(concurrency, 20)),
});
const base = `http://127.0.0.1:${port}`;
try {
  await waitFor(`${base}/ready`);
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

  const results: LoadResult[] = [];
  results.push(
    await runLoad({
      name: 'product listing (GET /api/products)',
      baseUrl: base,
      concurrency,
      seconds,
      next: (w, i) => ({
        method: 'GET',
        path: `/api/products?limit=24&sort=${pick(sorts, i)}${i % 3 === 0 && categories.length ? `&category=${pick(categories, w + i).slug}` : ''}`,
      }),
    }),
  );
  results.push(
    await runLoad({
      name: 'product detail (GET /api/products/:id)',
      baseUrl: base,
      concurrency,
      seconds,
      next: (w, i) => ({ method: 'GET', path: `/api/products/${pick(products, w * 7 + i).id}` }),
    }),
  );
  // Each worker fills a fresh guest cart of up to 10 lines, then starts another (a cart token per shopper).
  const tokens = new Map<number, string>();
  results.push(
    await runLoad({
      name: 'add to cart (POST /api/cart/items)',
      baseUrl: base,
      concurrency,
      seconds,
      next: async (w, i) => {
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
      },
    }),
  );
  console.log(`\n${new Date().toISOString()}  concurrency ${concurrency}, ${seconds}s per scenario, PostgreSQL + Redis, 1 app process`);
  printResults(results);
} finally {
  app.child.kill('SIGTERM');
  await app.exited;
  await database.drop();
}
