import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '@shop/platform';
import { createPgDatabase } from '../../src/shared/database/index.ts';
import { createCatalogModule } from '../../src/modules/catalog/index.ts';
import { createReadCache } from '../../src/modules/catalog/application/read-cache.ts';
import { databaseEngines } from '../support/databases.ts';
import { createTestAuthenticator, asAdmin } from '../support/test-authenticator.ts';
import { openCatalog, quietLogger, type CatalogFixture } from './support/catalog-fixture.ts';
import { catalogServer } from './support/catalog-server.ts';

describe('read cache', () => {
  it('serves a key from memory until its TTL, then loads it again', async () => {
    let clock = 0;
    const cache = createReadCache({ ttlMs: 1_000, now: () => clock });
    let loads = 0;
    const load = async () => ++loads;
    expect([await cache.get('k', load), await cache.get('k', load)]).toEqual([1, 1]);
    clock = 999;
    expect(await cache.get('k', load)).toBe(1);
    clock = 1_000;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('shares one load between concurrent misses, and forgets a load that a clear overtook', async () => {
    const cache = createReadCache({ ttlMs: 60_000 });
    let release!: (v: string) => void;
    let loads = 0;
    const slow = () => {
      loads++;
      return new Promise<string>((r) => (release = r));
    };
    const both = Promise.all([cache.get('k', slow), cache.get('k', slow)]);
    expect(loads).toBe(1);
    cache.clear(); // a write committed while the read was under way
    release('before the write');
    expect(await both).toEqual(['before the write', 'before the write']);
    expect(await cache.get('k', async () => 'after the write')).toBe('after the write');
  });

  it('does not keep a failed load', async () => {
    const cache = createReadCache({ ttlMs: 60_000 });
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });
});

describe.each(databaseEngines())('cached shopper reads on $name', (engine) => {
  let fixture: CatalogFixture;
  let server: HttpServer;
  const admin = asAdmin('admin-cache');
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = admin) =>
    server.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    if (engine.skip) return;
    // A TTL far beyond the test: whatever a read shows fresh, invalidation put there.
    fixture = await openCatalog(engine, { readCacheTtlMs: 600_000 });
    server = await catalogServer(fixture);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await fixture?.catalog.stop?.();
    await fixture?.cleanup();
  });

  const publishedProduct = async (slug: string) => {
    const product = (await call('POST', '/api/admin/products', { slug, name: 'Before', status: 'published' })).json<{ id: string }>();
    const variant = (
      await call('POST', `/api/admin/products/${product.id}/variants`, { sku: `${slug}-1`, priceMinor: 1000, currency: 'EUR', weightGrams: 100, onHand: 20 })
    ).json<{ id: string }>();
    return { productId: product.id, variantId: variant.id };
  };

  it.skipIf(engine.skip)('an admin write shows at once in the product and the listing; stock moved by an order waits for the TTL', async () => {
    const { productId, variantId } = await publishedProduct('cached-spade');
    const shopper = async () => ({
      detail: (await call('GET', `/api/products/${productId}`, undefined, {})).json<{ name: string; variants: Array<{ available: number }> }>(),
      listed: (await call('GET', '/api/products?limit=100', undefined, {})).json<{ items: Array<{ id: string; name: string }> }>(),
    });
    const first = await shopper();
    expect([first.detail.name, first.detail.variants[0]!.available, first.listed.items.find((p) => p.id === productId)?.name]).toEqual(['Before', 20, 'Before']);

    fixture.resetObserved();
    await shopper();
    expect(fixture.observed, 'a repeated shopper read is served from memory').toEqual([]);

    expect((await call('PATCH', `/api/admin/products/${productId}`, { name: 'After' })).statusCode).toBe(200);
    const renamed = await shopper();
    expect([renamed.detail.name, renamed.listed.items.find((p) => p.id === productId)?.name]).toEqual(['After', 'After']);

    // An order's reservation well above the last few units does not clear the cache (it would, hundreds of times a second)...
    await fixture.db.transaction((tx) => fixture.catalog.api.reserveStock(tx, [{ variantId, quantity: 2 }]));
    expect((await shopper()).detail.variants[0]!.available).toBe(20);
    // ...an admin's stock adjustment does.
    expect((await call('POST', `/api/admin/variants/${variantId}/stock-adjustments`, { delta: 1, reason: 'recount' })).statusCode).toBe(201);
    expect((await shopper()).detail.variants[0]!.available).toBe(19);
  });

  it.skipIf(engine.skip)('answers cached reads with the same bytes an instance without a cache answers', async () => {
    const { productId } = await publishedProduct('byte-equal-lamp');
    const uncached = createCatalogModule({ db: fixture.db, auth: createTestAuthenticator(), logger: quietLogger });
    const uncachedServer = await catalogServer({ ...fixture, catalog: uncached });
    try {
      for (const url of [`/api/products/${productId}`, '/api/products/byte-equal-lamp', '/api/products?limit=5&facets=true', '/api/products?q=Before']) {
        const [cached, cachedAgain, plain] = [await call('GET', url, undefined, {}), await call('GET', url, undefined, {}), await uncachedServer.inject({ method: 'GET', url })];
        expect([cached.statusCode, cached.headers['content-type']], url).toEqual([plain.statusCode, plain.headers['content-type']]);
        expect(cached.body, url).toBe(plain.body);
        expect(cachedAgain.body, url).toBe(plain.body);
      }
      // A miss is answered as an error, like any other (its request id differs per request).
      const withoutId = (body: string) => ({ ...JSON.parse(body), requestId: undefined });
      const [missing, plainMissing] = [await call('GET', '/api/products/no-such-product', undefined, {}), await uncachedServer.inject({ method: 'GET', url: '/api/products/no-such-product' })];
      expect([missing.statusCode, withoutId(missing.body)]).toEqual([404, withoutId(plainMissing.body)]);
    } finally {
      await uncachedServer.close();
    }
  });

  it.skipIf(engine.skip || engine.name !== 'postgres')('a write in one instance clears the cache of another on the same database', async () => {
    const { productId } = await publishedProduct('two-instance-mug');
    // A second instance, as another process would run it: its own pool and its own cache.
    const secondDb = fixture.url ? await createPgDatabase(fixture.url, 2) : undefined;
    expect(secondDb, 'the PostgreSQL fixture exposes its URL').toBeDefined();
    const second = createCatalogModule({ db: secondDb!, auth: createTestAuthenticator(), logger: quietLogger, readCacheTtlMs: 600_000 });
    await second.start();
    const secondServer = await catalogServer({ ...fixture, db: secondDb!, catalog: second });
    try {
      const nameInSecond = async () => (await secondServer.inject({ method: 'GET', url: `/api/products/${productId}` })).json<{ name: string }>().name;
      expect(await nameInSecond()).toBe('Before');
      expect((await call('PATCH', `/api/admin/products/${productId}`, { name: 'Renamed elsewhere' })).statusCode).toBe(200);
      const deadline = Date.now() + 10_000;
      let seen = await nameInSecond();
      while (seen !== 'Renamed elsewhere' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await nameInSecond();
      }
      expect(seen).toBe('Renamed elsewhere');
    } finally {
      await secondServer.close();
      await second.stop?.();
      await secondDb!.close();
    }
  });
});
