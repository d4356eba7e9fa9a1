/**
 * What pricing a catalog read in the shopper's region costs: the catalog and pricing modules on
 * PGlite with the demo catalog and regions and a read cache that never expires, asked through
 * `fastify.inject` (no sockets). Per region (none = catalog EUR, eu, jp): listing pages and product
 * details, first as cache misses (each URL once) then as hits. Prints requests/s and latency percentiles.
 *
 *   npm run bench:regional-prices
 */
import { createPgliteDatabase, migrate } from '../commerce/src/shared/database/index.ts';
import { createCatalogModule } from '../commerce/src/modules/catalog/index.ts';
import { createPricingModule } from '../commerce/src/modules/pricing/index.ts';
import { createTestAuthenticator } from '../commerce/test/support/test-authenticator.ts';
import { quietLogger } from '../commerce/test/catalog/support/catalog-fixture.ts';
import { catalogServer } from '../commerce/test/catalog/support/catalog-server.ts';

const db = await createPgliteDatabase();
const auth = createTestAuthenticator();
const pricing = createPricingModule({ db, auth, logger: quietLogger, seedDemoData: true });
const catalog = createCatalogModule({ db, auth, logger: quietLogger, seedDemoData: true, readCacheTtlMs: 600_000, prices: pricing.api });
await migrate(db, [catalog.migrations, pricing.migrations]);
await catalog.start();
await pricing.start();
const server = await catalogServer({ db, catalog, pricing } as never);
const slugs = ((await server.inject({ method: 'GET', url: '/api/products?limit=100' })).json() as { items: Array<{ slug: string }> }).items.map((p) => p.slug);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
async function measure(label: string, urls: string[]): Promise<void> {
  const times: number[] = [];
  const t0 = performance.now();
  for (const url of urls) {
    const start = performance.now();
    const res = await server.inject({ method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    times.push(performance.now() - start);
  }
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} ${String(urls.length).padStart(5)} req  ${(urls.length / seconds).toFixed(0).padStart(6)} req/s  p50 ${percentile(times, 50)} ms  p95 ${percentile(times, 95)} ms  p99 ${percentile(times, 99)} ms`);
}

for (const region of ['', 'eu', 'jp']) {
  const r = region ? `region=${region}` : '';
  const listings = Array.from({ length: 60 }, (_, i) => `/api/products?limit=${(i % 30) + 1}&sort=${i < 30 ? 'price_asc' : 'newest'}${r ? `&${r}` : ''}`);
  const details = slugs.map((s) => `/api/products/${s}${r ? `?${r}` : ''}`);
  const name = region || 'none (EUR)';
  await measure(`${name} listing, misses`, listings);
  await measure(`${name} detail, misses`, details);
  await measure(`${name} listing, hits`, Array.from({ length: 2000 }, (_, i) => listings[i % listings.length]!));
  await measure(`${name} detail, hits`, Array.from({ length: 2000 }, (_, i) => details[i % details.length]!));
}
await server.close();
await db.close();
