import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '@shop/platform';
import { createPgDatabase, type Database } from '../../src/shared/database/index.ts';
import { createCatalogModule } from '../../src/modules/catalog/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { asAdmin, createTestAuthenticator } from '../support/test-authenticator.ts';
import { openCatalog, quietLogger, type CatalogFixture } from './support/catalog-fixture.ts';
import { catalogServer } from './support/catalog-server.ts';

/**
 * Shopper caches (listings, product pages, the cart's snapshots) live far longer than this test,
 * so whatever in-stock state a read shows after an order moved stock, a notice put there.
 */
const FOREVER = 600_000;
const admin = asAdmin('admin-stock-state');

interface Instance {
  db: Database;
  catalog: ReturnType<typeof createCatalogModule>;
  server: HttpServer;
}

type Shown = Awaited<ReturnType<typeof shownBy>>;

/** What a shopper of `instance` is shown about one product, from every cached read. */
async function shownBy(instance: Instance, productId: string, variantId: string) {
  const get = (url: string) => instance.server.inject({ method: 'GET', url });
  const listed = (await get('/api/products?limit=100')).json<{ items: Array<{ id: string; inStock: boolean }> }>().items.find((p) => p.id === productId);
  const onlyInStock = (await get('/api/products?limit=100&inStock=true')).json<{ items: Array<{ id: string }> }>().items.some((p) => p.id === productId);
  const detail = (await get(`/api/products/${productId}`)).json<{ inStock: boolean; variants: Array<{ available: number }> }>();
  const [snapshot] = await instance.catalog.api.getVariants([variantId], 'recent');
  return { listed: listed?.inStock, onlyInStock, detail: detail.inStock, left: detail.variants[0]?.available, cartSees: snapshot?.available };
}

const everywhere = (left: number) => ({ listed: left > 0, onlyInStock: left > 0, detail: left > 0, left, cartSees: left });

/** Notices arrive after the commit, within milliseconds: ask again until `left` units are shown or time runs out. */
async function eventually(read: () => Promise<Shown>, left: number) {
  const deadline = Date.now() + 8_000;
  let seen = await read();
  while (JSON.stringify(seen) !== JSON.stringify(everywhere(left)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await read();
  }
  return seen;
}

describe.each(databaseEngines())('in-stock state of cached shopper reads on $name', (engine) => {
  let fixture: CatalogFixture;
  let own: Instance;

  beforeAll(async () => {
    if (engine.skip) return;
    fixture = await openCatalog(engine, { readCacheTtlMs: FOREVER });
    own = { db: fixture.db, catalog: fixture.catalog, server: await catalogServer(fixture) };
  }, 180_000);
  afterAll(async () => {
    await own?.server.close();
    await fixture?.catalog.stop?.();
    await fixture?.cleanup();
  });

  const productWithStock = async (slug: string, onHand: number) => {
    const call = (url: string, payload: object) => own.server.inject({ method: 'POST', url, headers: admin, payload });
    const product = (await call('/api/admin/products', { slug, name: slug, status: 'published' })).json<{ id: string }>();
    const variant = (await call(`/api/admin/products/${product.id}/variants`, { sku: `${slug}-1`, priceMinor: 900, currency: 'EUR', weightGrams: 100, onHand })).json<{ id: string }>();
    return { productId: product.id, variantId: variant.id };
  };
  const order = (quantity: number, variantId: string) =>
    fixture.db.transaction(async (tx) => expect(await fixture.catalog.api.reserveStock(tx, [{ variantId, quantity }])).toEqual({ ok: true }));
  const cancel = (quantity: number, variantId: string) => fixture.db.transaction((tx) => fixture.catalog.api.releaseStock(tx, [{ variantId, quantity }]));

  it.skipIf(engine.skip)('orders moving the last few units show each count, the sold-out state and its end; moves above them wait', async () => {
    const { productId, variantId } = await productWithStock('last-unit-kettle', 8);
    expect(await shownBy(own, productId, variantId)).toEqual(everywhere(8));

    await order(1, variantId); // 7 left: nothing a shopper is told changes but a count, which may wait
    expect(await shownBy(own, productId, variantId)).toEqual(everywhere(8));
    await order(3, variantId); // "only 4 left"
    expect(await eventually(() => shownBy(own, productId, variantId), 4)).toEqual(everywhere(4));
    await order(4, variantId);
    expect(await eventually(() => shownBy(own, productId, variantId), 0)).toEqual(everywhere(0));
    await cancel(1, variantId);
    expect(await eventually(() => shownBy(own, productId, variantId), 1)).toEqual(everywhere(1));
  });

  it.skipIf(engine.skip || engine.name !== 'postgres')('an order taken by one instance changes the in-stock state another instance shows', async () => {
    const { productId, variantId } = await productWithStock('two-instance-teapot', 1);
    // Another process on the same database: its own pool, its own cache, its own LISTEN.
    const db = await createPgDatabase(fixture.url!, 2);
    const catalog = createCatalogModule({ db, auth: createTestAuthenticator(), logger: quietLogger, readCacheTtlMs: FOREVER, readCacheMaxAgeMs: FOREVER });
    await catalog.start();
    const other: Instance = { db, catalog, server: await catalogServer({ ...fixture, db, catalog }) };
    try {
      expect(await shownBy(other, productId, variantId)).toEqual(everywhere(1));
      await order(1, variantId);
      expect(await eventually(() => shownBy(other, productId, variantId), 0)).toEqual(everywhere(0));
      await cancel(1, variantId);
      expect(await eventually(() => shownBy(other, productId, variantId), 1)).toEqual(everywhere(1));
    } finally {
      await other.server.close();
      await catalog.stop?.();
      await db.close();
    }
  });
});
