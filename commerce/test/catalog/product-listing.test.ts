import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductListQuery, ProductSort, ProductSummary } from '../../src/modules/catalog/index.ts';
import { createProduct } from '../../src/modules/catalog/application/create-product.ts';
import { createVariant } from '../../src/modules/catalog/application/create-variant.ts';
import { listProducts } from '../../src/modules/catalog/application/list-products.ts';
import { databaseEngines } from '../support/databases.ts';
import { actor, contextOf, openCatalog, type CatalogFixture } from './support/catalog-fixture.ts';

/** What the listing should return, computed independently of the listing's own SQL and denormalised price. */
interface Truth {
  id: string;
  name: string;
  status: string;
  createdAt: string;
  categoryPath: string | null;
  price: number | null;
  inStock: boolean;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ORDER: Record<Exclude<ProductSort, 'relevance'>, (a: Truth, b: Truth) => number> = {
  newest: (a, b) => (a.createdAt === b.createdAt ? -byId(a, b) : a.createdAt < b.createdAt ? 1 : -1),
  price_asc: (a, b) => (a.price! - b.price!) || byId(a, b),
  price_desc: (a, b) => (b.price! - a.price!) || -byId(a, b),
  name: (a, b) => {
    const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
    return x === y ? byId(a, b) : x < y ? -1 : 1;
  },
};

describe.each(databaseEngines())('product listing on $name', (engine) => {
  let fixture: CatalogFixture;
  let truth: Truth[];
  const ctx = () => contextOf(fixture.db);

  const list = async (query: Partial<ProductListQuery>) => {
    const result = await listProducts(ctx(), { limit: 24, ...query });
    if (!result.ok) throw new Error(result.error.code);
    return result.value;
  };
  /** Follows nextCursor to the end, as a client would. */
  const allPages = async (query: Partial<ProductListQuery>, limit: number): Promise<ProductSummary[]> => {
    const items: ProductSummary[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 500; pages++) {
      const page = await list({ ...query, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      if (!page.nextCursor) return items;
      cursor = page.nextCursor;
    }
    throw new Error('pagination never ended');
  };
  const visible = () => truth.filter((t) => t.status === 'published' && t.price !== null);
  const loadTruth = async () => {
    const { rows } = await fixture.db.query<Truth & { createdAt: Date }>(
      `select p.id, p.name, p.status, p.created_at as "createdAt", c.path as "categoryPath",
              (select min(v.price_minor) from catalog.variants v where v.product_id = p.id) as price,
              exists (select 1 from catalog.variants v where v.product_id = p.id and v.on_hand - v.reserved > 0) as "inStock"
       from catalog.products p left join catalog.categories c on c.id = p.category_id`,
    );
    truth = rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  };

  beforeAll(async () => {
    if (engine.skip) return;
    fixture = await openCatalog(engine, { seedDemoData: true });
    // Products created in the same millisecond at the same price: ties on every sort key but the id.
    const instant = new Date('2026-06-01T12:00:00.000Z');
    const pinned = { ...ctx(), now: () => instant };
    for (let i = 0; i < 6; i++) {
      const product = await createProduct(pinned, { slug: `tie-${i}`, name: 'Tie Breaker', status: 'published' }, actor());
      if (!product.ok) throw new Error(product.error.code);
      await createVariant(pinned, product.value.id, { sku: `TIE-${i}`, priceMinor: 2999, currency: 'EUR', weightGrams: 100, onHand: i % 2 }, actor('test'));
    }
    await loadTruth();
  }, 180_000);
  afterAll(async () => fixture?.cleanup());

  for (const sort of ['newest', 'price_asc', 'price_desc', 'name'] as const) {
    it.skipIf(engine.skip)(`pages through ${sort} in order, never skipping or repeating a product, ties included`, async () => {
      const expected = visible().sort(ORDER[sort]).map((t) => t.id);
      expect(expected.length).toBeGreaterThan(200);
      // 7 puts page boundaries inside runs of equal keys; 100 is the largest page.
      for (const limit of [7, 100]) {
        const ids = (await allPages({ sort }, limit)).map((p) => p.id);
        expect(ids).toEqual(expected);
      }
    });
  }

  it.skipIf(engine.skip)('never shows drafts or products without variants to shoppers, but shows them to admins', async () => {
    const drafts = truth.filter((t) => t.status === 'draft');
    expect(drafts.length).toBeGreaterThan(0);
    const shopper = new Set((await allPages({}, 100)).map((p) => p.id));
    for (const draft of drafts) expect(shopper.has(draft.id)).toBe(false);
    const admin = await allPages({ includeDrafts: true, status: 'draft' }, 100);
    expect(admin.map((p) => p.id).sort()).toEqual(drafts.map((d) => d.id).sort());
  });

  it.skipIf(engine.skip)('filters by a category including its descendants', async () => {
    const ids = (await allPages({ category: 'clothing' }, 100)).map((p) => p.id).sort();
    const expected = visible().filter((t) => t.categoryPath === 'clothing' || t.categoryPath?.startsWith('clothing/'));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected.map((t) => t.id).sort());
    const leaf = (await allPages({ category: 'hoodies' }, 100)).map((p) => p.id).sort();
    expect(leaf).toEqual(visible().filter((t) => t.categoryPath === 'clothing/hoodies').map((t) => t.id).sort());
    expect((await list({ category: 'no-such-category' })).items).toEqual([]);
  });

  it.skipIf(engine.skip)('filters by price range (the cheapest variant) and by stock', async () => {
    const inRange = await allPages({ minPrice: 2999, maxPrice: 5999, sort: 'price_asc' }, 100);
    const expected = visible().filter((t) => t.price! >= 2999 && t.price! <= 5999).sort(ORDER.price_asc);
    expect(expected.length).toBeGreaterThan(0);
    expect(inRange.map((p) => p.id)).toEqual(expected.map((t) => t.id));
    expect(inRange.every((p) => p.priceMinor! >= 2999 && p.priceMinor! <= 5999)).toBe(true);

    const inStock = await allPages({ inStock: true }, 100);
    const outOfStock = await allPages({ inStock: false }, 100);
    expect(inStock.map((p) => p.id).sort()).toEqual(visible().filter((t) => t.inStock).map((t) => t.id).sort());
    expect(outOfStock.map((p) => p.id).sort()).toEqual(visible().filter((t) => !t.inStock).map((t) => t.id).sort());
    expect(outOfStock.length).toBeGreaterThan(0);
    expect(outOfStock.every((p) => !p.inStock)).toBe(true);
  });

  it.skipIf(engine.skip)('finds products by full-text search, stemming words and ranking name matches first', async () => {
    const hoodies = await allPages({ q: 'hoodies' }, 100);
    const expected = visible().filter((t) => /hoodie/i.test(t.name));
    expect(hoodies.map((p) => p.id).sort()).toEqual(expected.map((t) => t.id).sort());

    const named = await createProduct(ctx(), { slug: 'merino-scarf', name: 'Merino Scarf', status: 'published' }, actor());
    const described = await createProduct(ctx(), {
      slug: 'plain-scarf',
      name: 'Plain Scarf',
      description: 'Knitted from merino.',
      status: 'published',
    }, actor());
    if (!named.ok || !described.ok) throw new Error('setup failed');
    for (const [i, product] of [named.value, described.value].entries()) {
      await createVariant(ctx(), product.id, { sku: `SCARF-${i}`, priceMinor: 1500, currency: 'EUR', weightGrams: 90 }, actor('test'));
    }
    const merino = await list({ q: 'merino' });
    expect(merino.items.map((p) => p.slug)).toEqual(['merino-scarf', 'plain-scarf']);
    // Words are ANDed and punctuation in the query is not SQL syntax.
    expect((await list({ q: 'merino "knitted" -' })).items.map((p) => p.slug)).toEqual(['plain-scarf']);
    expect((await list({ q: 'the' })).items).toEqual([]);
  });

  it.skipIf(engine.skip)('pages through relevance order without skipping or repeating, ties included', async () => {
    const single = await list({ q: 'classic', limit: 100 });
    expect(single.nextCursor).toBeNull();
    expect(single.items.length).toBeGreaterThan(10);
    const paged = await allPages({ q: 'classic' }, 4);
    expect(paged.map((p) => p.id)).toEqual(single.items.map((p) => p.id));
  });

  it.skipIf(engine.skip)('rejects cursors it did not issue for this sort, and relevance without a query', async () => {
    const page = await list({ sort: 'price_asc', limit: 2 });
    for (const cursor of ['garbage', Buffer.from('[1,2]').toString('base64url'), page.nextCursor!]) {
      const result = await listProducts(ctx(), { limit: 2, sort: 'newest', cursor });
      expect(result.ok ? 'ok' : result.error.code).toBe('CATALOG.INVALID_CURSOR');
    }
    const relevance = await listProducts(ctx(), { limit: 2, sort: 'relevance' });
    expect(relevance.ok ? 'ok' : relevance.error.code).toBe('CATALOG.RELEVANCE_NEEDS_QUERY');
  });

  it.skipIf(engine.skip)('keeps the next page stable when a newer product appears between requests', async () => {
    await loadTruth();
    const expected = visible().sort(ORDER.newest).map((t) => t.id);
    const first = await list({ sort: 'newest', limit: 10 });
    const fresh = await createProduct(ctx(), { slug: 'brand-new', name: 'Brand New', status: 'published' }, actor());
    if (!fresh.ok) throw new Error(fresh.error.code);
    await createVariant(ctx(), fresh.value.id, { sku: 'NEW-1', priceMinor: 100, currency: 'EUR', weightGrams: 1 }, actor('test'));
    const second = await list({ sort: 'newest', limit: 10, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(expected.slice(0, 20));
  });
});
