import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustStock } from '../../src/modules/catalog/application/adjust-stock.ts';
import { createCategory } from '../../src/modules/catalog/application/create-category.ts';
import { createProduct } from '../../src/modules/catalog/application/create-product.ts';
import { createVariant } from '../../src/modules/catalog/application/create-variant.ts';
import { deleteCategory } from '../../src/modules/catalog/application/delete-category.ts';
import { deleteProduct } from '../../src/modules/catalog/application/delete-product.ts';
import { deleteVariant } from '../../src/modules/catalog/application/delete-variant.ts';
import { getAdminProduct } from '../../src/modules/catalog/application/get-admin-product.ts';
import { listCategoryTree } from '../../src/modules/catalog/application/list-categories.ts';
import { listProducts } from '../../src/modules/catalog/application/list-products.ts';
import { listStockAdjustments } from '../../src/modules/catalog/application/list-stock-adjustments.ts';
import { updateCategory } from '../../src/modules/catalog/application/update-category.ts';
import { updateProduct } from '../../src/modules/catalog/application/update-product.ts';
import { updateVariant } from '../../src/modules/catalog/application/update-variant.ts';
import type { CreateVariantInput } from '../../src/modules/catalog/index.ts';
import type { Database } from '../../src/shared/database/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { actor, contextOf, openCatalog, type CatalogFixture } from './support/catalog-fixture.ts';

/** The value of an expected success; the test fails with the error code otherwise. */
function value<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}`);
  return result.value;
}
const code = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? 'ok' : result.error?.code);

describe.each(databaseEngines())('catalog administration on $name', (engine) => {
  let fixture: CatalogFixture;
  const ctx = () => contextOf(fixture.db);
  const unique = () => randomUUID().slice(0, 8);

  const newProduct = async (status: 'draft' | 'published' = 'published', images: string[] = []) =>
    value(await createProduct(ctx(), { slug: `p-${unique()}`, name: 'Test product', status, images }, actor()));
  const newVariant = async (productId: string, input: Partial<CreateVariantInput> = {}) =>
    value(
      await createVariant(
        ctx(),
        productId,
        { sku: `SKU-${unique()}`, priceMinor: 1000, currency: 'EUR', weightGrams: 250, ...input },
        actor('admin-1'),
      ),
    );
  /** Stands in for the orders module reserving stock (no public reservation API yet). */
  const reserve = (variantId: string, reserved: number) =>
    fixture.db.query('update catalog.variants set reserved = $2 where id = $1', [variantId, reserved]);
  const fromPrice = async (productId: string) => {
    const page = value(await listProducts(ctx(), { limit: 100, includeDrafts: true }));
    return page.items.find((p) => p.id === productId)?.priceMinor;
  };

  beforeAll(async () => {
    if (!engine.skip) fixture = await openCatalog(engine);
  }, 180_000);
  afterAll(async () => fixture?.cleanup());

  it.skipIf(engine.skip)('refuses a second variant with the same SKU and a second product with the same slug', async () => {
    const product = await newProduct();
    const first = await newVariant(product.id, { sku: 'DUP-1' });
    const again = await createVariant(ctx(), product.id, { sku: 'DUP-1', priceMinor: 1, currency: 'EUR', weightGrams: 1 }, actor('a'));
    expect(code(again)).toBe('CATALOG.SKU_TAKEN');
    const other = await newVariant(product.id, { sku: 'DUP-2' });
    expect(code(await updateVariant(ctx(), other.id, { sku: 'DUP-1' }, actor()))).toBe('CATALOG.SKU_TAKEN');
    expect(value(await getAdminProduct(ctx(), product.id)).variants.map((v) => v.sku).sort()).toEqual(['DUP-1', 'DUP-2']);
    expect(first.sku).toBe('DUP-1');

    const slug = `slug-${unique()}`;
    value(await createProduct(ctx(), { slug, name: 'One' }, actor()));
    expect(code(await createProduct(ctx(), { slug, name: 'Two' }, actor()))).toBe('CATALOG.PRODUCT_SLUG_TAKEN');
    expect(code(await updateProduct(ctx(), product.id, { slug }, actor()))).toBe('CATALOG.PRODUCT_SLUG_TAKEN');
    expect(code(await createProduct(ctx(), { slug: `x-${unique()}`, name: 'X', categoryId: randomUUID() }, actor()))).toBe(
      'CATALOG.UNKNOWN_CATEGORY',
    );
  });

  it.skipIf(engine.skip)('keeps the listed "from" price equal to the cheapest variant through every variant write', async () => {
    const product = await newProduct();
    expect(await fromPrice(product.id)).toBeNull();
    const a = await newVariant(product.id, { priceMinor: 3000 });
    const b = await newVariant(product.id, { priceMinor: 2000 });
    expect(await fromPrice(product.id)).toBe(2000);
    value(await updateVariant(ctx(), b.id, { priceMinor: 5000 }, actor()));
    expect(await fromPrice(product.id)).toBe(3000);
    value(await deleteVariant(ctx(), a.id, actor()));
    expect(await fromPrice(product.id)).toBe(5000);
  });

  it.skipIf(engine.skip)('adjusts stock with an audit row, and refuses to go below reserved without writing one', async () => {
    const product = await newProduct();
    const variant = await newVariant(product.id, { onHand: 10 });
    await reserve(variant.id, 8);

    expect(code(await adjustStock(ctx(), variant.id, { delta: -3, reason: 'damaged' }, actor('admin-2')))).toBe(
      'CATALOG.STOCK_BELOW_RESERVED',
    );
    const taken = value(await adjustStock(ctx(), variant.id, { delta: -2, reason: 'damaged' }, actor('admin-2')));
    expect(taken).toMatchObject({ variantId: variant.id, delta: -2, reason: 'damaged', actorId: 'admin-2', onHandAfter: 8 });
    expect(code(await adjustStock(ctx(), variant.id, { delta: -1, reason: 'lost' }, actor('admin-2')))).toBe(
      'CATALOG.STOCK_BELOW_RESERVED',
    );
    await reserve(variant.id, 0);
    expect(code(await adjustStock(ctx(), variant.id, { delta: -9, reason: 'lost' }, actor('admin-2')))).toBe(
      'CATALOG.STOCK_BELOW_RESERVED',
    );
    expect(code(await adjustStock(ctx(), randomUUID(), { delta: 1, reason: 'x' }, actor('admin-2')))).toBe('CATALOG.VARIANT_NOT_FOUND');

    const after = value(await getAdminProduct(ctx(), product.id)).variants[0]!;
    expect(after.onHand).toBe(8);
    const trail = value(await listStockAdjustments(ctx(), variant.id, 50));
    // Opening stock plus the one accepted adjustment; refusals leave no trace.
    expect(trail.map((a) => [a.delta, a.reason, a.actorId, a.onHandAfter])).toEqual([
      [-2, 'damaged', 'admin-2', 8],
      [10, 'opening stock', 'admin-1', 10],
    ]);
    expect(trail.reduce((sum, a) => sum + a.delta, 0)).toBe(after.onHand);
  });

  it.skipIf(engine.skip)('moves no stock when its audit row cannot be written (same transaction)', async () => {
    const product = await newProduct();
    const variant = await newVariant(product.id, { onHand: 4 });
    // A database whose audit inserts fail, as a full disk or a lost connection would make them.
    const db = fixture.db;
    const failingAudit: Database = {
      ...db,
      transaction: (work) =>
        db.transaction((tx) =>
          work({
            exec: (script) => tx.exec(script),
            query: (text, params) =>
              text.includes('insert into catalog.stock_adjustments') ? Promise.reject(new Error('audit down')) : tx.query(text, params),
          }),
        ),
    };
    await expect(adjustStock({ ...ctx(), db: failingAudit }, variant.id, { delta: -3, reason: 'x' }, actor('admin-4'))).rejects.toThrow(
      'audit down',
    );
    expect(value(await getAdminProduct(ctx(), product.id)).variants[0]!.onHand).toBe(4);
    expect(value(await listStockAdjustments(ctx(), variant.id, 50))).toHaveLength(1);
  });

  it.skipIf(engine.skip)('lets concurrent decrements take exactly the stock there is, each audited', async () => {
    const product = await newProduct();
    const variant = await newVariant(product.id, { onHand: 5 });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => adjustStock(ctx(), variant.id, { delta: -1, reason: 'count' }, actor('admin-3'))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok).map(code)).toEqual(Array(7).fill('CATALOG.STOCK_BELOW_RESERVED'));
    expect(value(await getAdminProduct(ctx(), product.id)).variants[0]!.onHand).toBe(0);
    const trail = value(await listStockAdjustments(ctx(), variant.id, 50));
    expect(trail.filter((a) => a.delta === -1)).toHaveLength(5);
    expect(trail.map((a) => a.onHandAfter).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.skipIf(engine.skip)('refuses to delete a variant or product whose stock is reserved, and keeps the audit of deleted ones', async () => {
    const product = await newProduct();
    const variant = await newVariant(product.id, { onHand: 3 });
    await reserve(variant.id, 1);
    expect(code(await deleteVariant(ctx(), variant.id, actor()))).toBe('CATALOG.VARIANT_RESERVED');
    expect(code(await deleteProduct(ctx(), product.id, actor()))).toBe('CATALOG.VARIANT_RESERVED');
    await reserve(variant.id, 0);
    value(await deleteProduct(ctx(), product.id, actor()));
    expect(code(await getAdminProduct(ctx(), product.id))).toBe('CATALOG.PRODUCT_NOT_FOUND');
    expect(code(await deleteVariant(ctx(), variant.id, actor()))).toBe('CATALOG.VARIANT_NOT_FOUND');
    const { rows } = await fixture.db.query('select 1 from catalog.stock_adjustments where variant_id = $1', [variant.id]);
    expect(rows).toHaveLength(1);
  });

  it.skipIf(engine.skip)('maintains the category tree: paths follow renames and moves, cycles and non-empty deletes are refused', async () => {
    const s = unique();
    const root = value(await createCategory(ctx(), { slug: `root-${s}`, name: 'Root' }, actor()));
    const child = value(await createCategory(ctx(), { slug: `child-${s}`, name: 'Child', parentId: root.id }, actor()));
    const grandchild = value(await createCategory(ctx(), { slug: `grand-${s}`, name: 'Grand', parentId: child.id }, actor()));
    expect(grandchild.path).toBe(`root-${s}/child-${s}/grand-${s}`);
    expect(code(await createCategory(ctx(), { slug: `root-${s}`, name: 'Again' }, actor()))).toBe('CATALOG.CATEGORY_SLUG_TAKEN');
    expect(code(await createCategory(ctx(), { slug: `x-${s}`, name: 'X', parentId: randomUUID() }, actor()))).toBe('CATALOG.UNKNOWN_PARENT');

    expect(code(await updateCategory(ctx(), root.id, { parentId: grandchild.id }, actor()))).toBe('CATALOG.CATEGORY_CYCLE');
    expect(code(await updateCategory(ctx(), root.id, { parentId: root.id }, actor()))).toBe('CATALOG.CATEGORY_CYCLE');
    value(await updateCategory(ctx(), root.id, { slug: `top-${s}` }, actor()));
    const other = value(await createCategory(ctx(), { slug: `other-${s}`, name: 'Other' }, actor()));
    value(await updateCategory(ctx(), child.id, { parentId: other.id }, actor()));

    const tree = await listCategoryTree(ctx());
    const otherNode = tree.find((n) => n.id === other.id)!;
    expect(otherNode.children.map((c) => c.path)).toEqual([`other-${s}/child-${s}`]);
    expect(otherNode.children[0]!.children.map((c) => c.path)).toEqual([`other-${s}/child-${s}/grand-${s}`]);
    expect(tree.find((n) => n.id === root.id)!.children).toEqual([]);

    const product = value(await createProduct(ctx(), { slug: `in-${s}`, name: 'In', status: 'published', categoryId: grandchild.id }, actor()));
    await newVariant(product.id);
    // The moved subtree is still found through its new ancestor.
    const found = value(await listProducts(ctx(), { limit: 10, category: `other-${s}` }));
    expect(found.items.map((p) => p.id)).toEqual([product.id]);
    expect(value(await getAdminProduct(ctx(), product.id)).categoryPath.map((c) => c.slug)).toEqual([
      `other-${s}`,
      `child-${s}`,
      `grand-${s}`,
    ]);

    expect(code(await deleteCategory(ctx(), child.id, actor()))).toBe('CATALOG.CATEGORY_HAS_CHILDREN');
    expect(code(await deleteCategory(ctx(), grandchild.id, actor()))).toBe('CATALOG.CATEGORY_HAS_PRODUCTS');
    value(await updateProduct(ctx(), product.id, { categoryId: null }, actor()));
    value(await deleteCategory(ctx(), grandchild.id, actor()));
    expect(code(await deleteCategory(ctx(), grandchild.id, actor()))).toBe('CATALOG.CATEGORY_NOT_FOUND');
  });

  it.skipIf(engine.skip)('gives variant snapshots in one query, drafts not purchasable, bad ids ignored', async () => {
    const published = await newProduct('published', ['https://img.example/a.jpg', 'https://img.example/b.jpg']);
    const draft = await newProduct('draft');
    const a = await newVariant(published.id, { onHand: 7, priceMinor: 1234, options: { size: 'M' }, weightGrams: 321 });
    const b = await newVariant(draft.id, { onHand: 2 });
    await reserve(a.id, 3);

    fixture.resetObserved();
    const snapshots = await fixture.catalog.api.getVariants([a.id, b.id.toUpperCase(), 'not-a-uuid', "'; drop table x --", randomUUID(), a.id]);
    expect(fixture.observed).toHaveLength(1);
    const byVariant = new Map(snapshots.map((s) => [s.variantId, s]));
    expect(snapshots).toHaveLength(2);
    expect(byVariant.get(a.id)).toEqual({
      variantId: a.id,
      productId: published.id,
      sku: a.sku,
      productName: 'Test product',
      options: { size: 'M' },
      priceMinor: 1234,
      currency: 'EUR',
      available: 4,
      purchasable: true,
      imageUrl: 'https://img.example/a.jpg',
      weightGrams: 321,
    });
    expect(byVariant.get(b.id)).toMatchObject({ purchasable: false, available: 2, imageUrl: null });

    fixture.resetObserved();
    expect(await fixture.catalog.api.getVariants(['nope'])).toEqual([]);
    expect(fixture.observed).toHaveLength(0);
  });
});
