/**
 * CPU per cached shopper read, the app alone: the catalog module's routes on PGlite with the demo
 * catalog and a read cache that never expires, asked through `fastify.inject` (no sockets, no load
 * generator competing for the cores), 3,000 listing pages and 3,000 product details, twice each
 * (the second round is warm). BENCH_APP_ROOT measures another checkout (an earlier commit) the same way.
 *
 *   npm run bench:catalog-hits
 */
import { resolve } from 'node:path';

const root = process.env.BENCH_APP_ROOT ?? resolve(import.meta.dirname, '..');
const { createPgliteDatabase, migrate } = await import(`${root}/commerce/src/shared/database/index.ts`);
const { createCatalogModule } = await import(`${root}/commerce/src/modules/catalog/index.ts`);
const { createTestAuthenticator } = await import(`${root}/commerce/test/support/test-authenticator.ts`);
const { quietLogger } = await import(`${root}/commerce/test/catalog/support/catalog-fixture.ts`);
const { catalogServer } = await import(`${root}/commerce/test/catalog/support/catalog-server.ts`);
const db = await createPgliteDatabase();
const catalog = createCatalogModule({ db, auth: createTestAuthenticator(), logger: quietLogger, seedDemoData: true, readCacheTtlMs: 600_000 });
await migrate(db, [catalog.migrations]);
await catalog.start();
const server = await catalogServer({ db, catalog, observed: [], resetObserved: () => {}, cleanup: async () => {} } as never);
const list = (await server.inject({ method: 'GET', url: '/api/products?limit=24' })).json() as { items: Array<{ id: string }> };
const urls = { listing: ['/api/products?limit=24', '/api/products?limit=24&sort=price_asc', '/api/products?limit=24&category=clothing'], detail: list.items.slice(0, 10).map((p) => `/api/products/${p.id}`) };
for (const [name, us] of Object.entries(urls)) {
  for (const u of us) await server.inject({ method: 'GET', url: u });
  const n = 3000;
  for (let round = 0; round < 2; round++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await server.inject({ method: 'GET', url: us[i % us.length]! });
    const c = process.cpuUsage(c0);
    console.log(`${name} round ${round}: ${((c.user + c.system) / 1000 / n).toFixed(3)} ms CPU per request`);
  }
}
await server.close();
await db.close();
