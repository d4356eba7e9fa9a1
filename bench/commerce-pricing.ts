/**
 * The checkout quote (promotions read, discount spread, taxes per line) as the cart page asks it,
 * in the EU region (EUR, VAT included, code WELCOME10) and the US region (USD converted, sales tax
 * added, CA), against the commerce app on REAL PostgreSQL (a child process with the demo data).
 *
 *   npm run bench:pricing        (BENCH_SECONDS=6 BENCH_CONCURRENCY=8 CARTS=64 by default)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const cartCount = Number(process.env.CARTS ?? 64);

const database = await freshPostgresDatabase();
const port = await freePort();
const app = runTs('commerce/src/main.ts', {
  COMMERCE_PORT: String(port),
  DATABASE_URL: database.url,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-pricing-')),
  SEED_DEMO_DATA: 'true',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '1000000000',
  DATABASE_POOL_SIZE: String(Math.min(concurrency * 2, 20)),
});
const base = `http://127.0.0.1:${port}`;
try {
  await waitFor(`${base}/ready`);
  const products = (await (await fetch(`${base}/api/products?limit=2&inStock=true`)).json()) as { items: { defaultVariantId: string }[] };
  const cartsIn = async (region: string) => {
    const carts: string[] = [];
    for (let i = 0; i < cartCount; i++) {
      let token = '';
      for (const p of products.items) {
        const res = await fetch(`${base}/api/cart/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-region': region, ...(token ? { 'x-cart-token': token } : {}) },
          body: JSON.stringify({ variantId: p.defaultVariantId, quantity: 1 + (i % 3) }),
        });
        token = ((await res.json()) as { cartToken: string }).cartToken;
      }
      carts.push(token);
    }
    return carts;
  };
  const results: LoadResult[] = [];
  for (const [region, body] of [
    ['eu', { promotionCode: 'WELCOME10', country: 'DE', shippingOptionId: 'standard' }],
    ['us', { promotionCode: 'WELCOME10', country: 'US', subdivision: 'CA', shippingOptionId: 'standard' }],
  ] as const) {
    const carts = await cartsIn(region);
    results.push(
      await runLoad({
        name: `POST /api/checkout/quote (${region}, WELCOME10, taxes)`,
        baseUrl: base,
        concurrency,
        seconds,
        next: (worker, i) => ({ method: 'POST', path: '/api/checkout/quote', headers: { 'x-cart-token': carts[(worker * 7 + i) % carts.length]!, 'x-region': region }, body }),
      }),
    );
  }
  printResults(results);
} finally {
  app.child.kill('SIGTERM');
  await app.exited;
  await database.drop();
}
