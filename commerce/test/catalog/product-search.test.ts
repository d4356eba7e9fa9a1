import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductListQuery, ProductPage, ProductSummary } from '../../src/modules/catalog/index.ts';
import { createProduct } from '../../src/modules/catalog/application/create-product.ts';
import { createVariant } from '../../src/modules/catalog/application/create-variant.ts';
import { listProducts } from '../../src/modules/catalog/application/list-products.ts';
import { updateProduct } from '../../src/modules/catalog/application/update-product.ts';
import { databaseEngines } from '../support/databases.ts';
import { actor, contextOf, openCatalog, type CatalogFixture } from './support/catalog-fixture.ts';

describe.each(databaseEngines())('product search on $name', (engine) => {
  let fixture: CatalogFixture;
  const ctx = () => contextOf(fixture.db);
  const ids: Record<string, string> = {};

  const list = async (query: Partial<ProductListQuery>): Promise<ProductPage> => {
    const result = await listProducts(ctx(), { limit: 100, ...query });
    if (!result.ok) throw new Error(result.error.code);
    return result.value;
  };
  const allPages = async (query: Partial<ProductListQuery>): Promise<ProductSummary[]> => {
    const items: ProductSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ ...query, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  };
  const product = async (slug: string, name: string, description: string, status: 'published' | 'draft' = 'published') => {
    const created = await createProduct(ctx(), { slug, name, description, status }, actor());
    if (!created.ok) throw new Error(created.error.code);
    await createVariant(ctx(), created.value.id, { sku: slug.toUpperCase(), priceMinor: 1000, currency: 'EUR', weightGrams: 100, onHand: 1 }, actor());
    ids[slug] = created.value.id;
  };

  beforeAll(async () => {
    if (engine.skip) return;
    fixture = await openCatalog(engine, { seedDemoData: true });
    // The name match is created first and the description match second, and again the other way
    // round, so neither creation order nor id order can produce the expected ranking.
    await product('zephyr-lamp', 'Zephyr Lamp', 'A reading light.');
    await product('desk-lamp', 'Desk Lamp', 'Quieter than a zephyr.');
    await product('fog-scarf', 'Woollen Scarf', 'Keeps the quillfog out.');
    await product('quillfog-scarf', 'Quillfog Scarf', 'Soft.');
    await product('secret-draft', 'Xylotheque Cabinet', 'Unannounced.', 'draft');
  }, 180_000);
  afterAll(async () => fixture?.cleanup());

  it.skipIf(engine.skip)('ranks a match in the name above a match in the description', async () => {
    expect((await list({ q: 'zephyr' })).items.map((p) => p.slug)).toEqual(['zephyr-lamp', 'desk-lamp']);
    expect((await list({ q: 'quillfog' })).items.map((p) => p.slug)).toEqual(['quillfog-scarf', 'fog-scarf']);
  });

  it.skipIf(engine.skip)('answers a misspelt word with the results of the nearest catalog word, and says so', async () => {
    const hoodies = await allPages({ q: 'hoodie' });
    expect(hoodies.length).toBeGreaterThan(0);
    const typo = await list({ q: 'hoddie' });
    expect(typo.correctedQuery).toBe('hoodie');
    expect(typo.items.map((p) => p.id)).toEqual(hoodies.map((p) => p.id));
    // The words that are right stay as typed; only the unknown one changes.
    const twoWords = await list({ q: 'Navy hoddie' });
    expect(twoWords.correctedQuery).toBe('Navy hoodie');
    expect(twoWords.items.length).toBeGreaterThan(0);
    expect((await list({ q: 'zephir' })).correctedQuery).toBe('zephyr');
  });

  it.skipIf(engine.skip)('corrects nothing when the text finds something, and offers nothing for gibberish', async () => {
    const found = await list({ q: 'hoodie' });
    expect(found.correctedQuery).toBeUndefined();
    const nothing = await list({ q: 'qqqqxxzz' });
    expect(nothing.items).toEqual([]);
    expect(nothing.correctedQuery).toBeUndefined();
  });

  it.skipIf(engine.skip)('never suggests a word that only a draft contains, until the product is published', async () => {
    expect((await list({ q: 'xylotheq' })).correctedQuery).toBeUndefined();
    const published = await updateProduct(ctx(), ids['secret-draft']!, { status: 'published' }, actor());
    expect(published.ok).toBe(true);
    const after = await list({ q: 'xylotheqe' });
    expect(after.correctedQuery).toBe('xylotheque');
    expect(after.items.map((p) => p.slug)).toEqual(['secret-draft']);
  });

  it.skipIf(engine.skip)('counts category and option facets of a search as an independent count of its results does', async () => {
    const query = { q: 'navy', inStock: true } satisfies Partial<ProductListQuery>;
    const results = await allPages(query);
    expect(results.length).toBeGreaterThan(5);
    const resultIds = new Set(results.map((p) => p.id));
    const { rows: products } = await fixture.db.query<{ id: string; path: string }>(
      `select p.id, c.path from catalog.products p join catalog.categories c on c.id = p.category_id`,
    );
    const pathOf = new Map(products.map((p) => [p.id, p.path]));
    const { rows: categories } = await fixture.db.query<{ slug: string; path: string }>(`select slug, path from catalog.categories`);
    const expectedCategories = categories
      .map((c) => ({ slug: c.slug, count: [...resultIds].filter((id) => pathOf.get(id) === c.path || pathOf.get(id)?.startsWith(`${c.path}/`)).length }))
      .filter((c) => c.count > 0)
      .sort((a, b) => a.slug.localeCompare(b.slug));

    const page = await list({ ...query, facets: true, limit: 1 });
    expect(page.facets!.categories.map(({ slug, count }) => ({ slug, count })).sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(expectedCategories);
    // Each count is what picking that category lists.
    for (const facet of page.facets!.categories) expect((await allPages({ ...query, category: facet.slug })).length).toBe(facet.count);

    const { rows: variants } = await fixture.db.query<{ product_id: string; options: Record<string, string>; available: number }>(
      `select product_id, options, on_hand - reserved as available from catalog.variants`,
    );
    const expectedOptions = new Map<string, Set<string>>();
    for (const v of variants) {
      if (!resultIds.has(v.product_id) || v.available <= 0) continue;
      for (const [name, value] of Object.entries(v.options)) {
        const key = `${name}:${value}`;
        expectedOptions.set(key, (expectedOptions.get(key) ?? new Set()).add(v.product_id));
      }
    }
    const actualOptions = page.facets!.options.flatMap((o) => o.values.map((v) => [`${o.name}:${v.value}`, v.count] as const));
    expect(new Map(actualOptions)).toEqual(new Map([...expectedOptions].map(([k, s]) => [k, s.size])));
  });

  it.skipIf(engine.skip)('leaves the category selection out of the category facets, so siblings stay on offer', async () => {
    const all = await list({ q: 'navy', facets: true, limit: 1 });
    const narrowed = await list({ q: 'navy', category: 'hoodies', facets: true, limit: 1 });
    expect(narrowed.facets!.categories).toEqual(all.facets!.categories);
    expect(narrowed.facets!.categories.length).toBeGreaterThan(1);
  });
});
