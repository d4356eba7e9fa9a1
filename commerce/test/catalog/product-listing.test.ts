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

  const variantTruth = async () =>
    (
      await fixture.db.query<{ productId: string; options: Record<string, string>; available: number }>(
        `select product_id as "productId", options, on_hand - reserved as available from catalog.variants`,
      )
    ).rows;

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

  it.skipIf(engine.skip)('filters by variant options: one variant must match every option named, values of one option are alternatives', async () => {
    const variants = await variantTruth();
    const matches = (productId: string, options: Record<string, string[]>, stocked = false) =>
      variants.some((v) => v.productId === productId && (!stocked || v.available > 0) && Object.entries(options).every(([k, vs]) => vs.includes(v.options[k]!)));
    const cases: Array<Partial<ProductListQuery> & { options: Record<string, string[]> }> = [
      { options: { size: ['M'] } },
      { options: { size: ['M', 'XL'] } },
      { options: { size: ['M'], colour: ['Navy'] } },
      { options: { colour: ['Navy'] }, category: 'clothing' },
      { options: { size: ['L'] }, inStock: true },
      { options: { size: ['nonexistent'] } },
    ];
    let nonEmpty = 0;
    for (const query of cases) {
      const ids = (await allPages(query, 100)).map((p) => p.id).sort();
      const inCategory = (t: Truth) => !query.category || t.categoryPath === query.category || t.categoryPath?.startsWith(`${query.category}/`);
      const expected = visible()
        .filter((t) => inCategory(t) && (!query.inStock || t.inStock) && matches(t.id, query.options, query.inStock))
        .map((t) => t.id)
        .sort();
      expect(ids, JSON.stringify(query)).toEqual(expected);
      if (expected.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(4);
    // Not merely any variant in M and any in Navy: one variant that is both.
    const split = visible().filter((t) => matches(t.id, { size: ['M'] }) && matches(t.id, { colour: ['Navy'] }) && !matches(t.id, { size: ['M'], colour: ['Navy'] }));
    const both = new Set((await allPages({ options: { size: ['M'], colour: ['Navy'] } }, 100)).map((p) => p.id));
    for (const t of split) expect(both.has(t.id)).toBe(false);
  });

  it.skipIf(engine.skip)("answers facets: each option's values with the number of products, its own selection left out", async () => {
    const variants = await variantTruth();
    const facetsOf = async (query: Partial<ProductListQuery>) => {
      const page = await list({ ...query, facets: true, limit: 1 });
      return Object.fromEntries(page.facets!.options.map((f) => [f.name, Object.fromEntries(f.values.map((v) => [v.value, v.count]))]));
    };
    /** Counted here from the variants: products of the category with a variant of value `value` for `name` matching the other selections. */
    const expectedFacets = (category: string, options: Record<string, string[]>) => {
      const counts: Record<string, Record<string, Set<string>>> = {};
      const inCategory = new Set(visible().filter((t) => t.categoryPath === category || t.categoryPath?.startsWith(`${category}/`)).map((t) => t.id));
      for (const v of variants) {
        if (!inCategory.has(v.productId)) continue;
        for (const [name, value] of Object.entries(v.options)) {
          const others = Object.entries(options).filter(([k]) => k !== name);
          if (!others.every(([k, vs]) => vs.includes(v.options[k]!))) continue;
          ((counts[name] ??= {})[value] ??= new Set()).add(v.productId);
        }
      }
      return Object.fromEntries(Object.entries(counts).map(([n, vs]) => [n, Object.fromEntries(Object.entries(vs).map(([v, s]) => [v, s.size]))]));
    };
    const plain = await facetsOf({ category: 'clothing' });
    expect(Object.keys(plain).sort()).toEqual(['colour', 'size']);
    expect(plain).toEqual(expectedFacets('clothing', {}));
    const narrowed = await facetsOf({ category: 'clothing', options: { size: ['M'], colour: ['Navy', 'Black'] } });
    expect(narrowed).toEqual(expectedFacets('clothing', { size: ['M'], colour: ['Navy', 'Black'] }));
    // Picking M leaves the other sizes on offer, and narrows the colours.
    expect(narrowed.size).toEqual(expectedFacets('clothing', { colour: ['Navy', 'Black'] }).size);
    expect(Object.values(narrowed.colour!).reduce((a, b) => a + b, 0)).toBeLessThan(Object.values(plain.colour!).reduce((a, b) => a + b, 0));
    expect((await list({ category: 'clothing' })).facets).toBeUndefined();
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
