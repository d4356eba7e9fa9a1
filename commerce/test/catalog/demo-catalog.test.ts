import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogModule } from '../../src/modules/catalog/index.ts';
import { generateDemoCatalog } from '../../src/modules/catalog/infrastructure/demo-catalog.data.ts';
import { createPgDatabase, migrate, type Database } from '../../src/shared/database/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { quietLogger } from './support/catalog-fixture.ts';
import { createTestAuthenticator } from '../support/test-authenticator.ts';

describe('demo catalog generator', () => {
  it('is deterministic and has 200+ products with variants in a two-level tree of 10+ categories', () => {
    const demo = generateDemoCatalog();
    expect(generateDemoCatalog()).toEqual(demo);
    expect(demo.products.length).toBeGreaterThanOrEqual(200);
    expect(demo.categories.length).toBeGreaterThanOrEqual(10);
    const roots = new Set(demo.categories.filter((c) => c.parentId === null).map((c) => c.id));
    expect(demo.categories.every((c) => c.parentId === null || roots.has(c.parentId))).toBe(true);
    expect(new Set(demo.variants.map((v) => v.sku)).size).toBe(demo.variants.length);
    expect(new Set(demo.products.map((p) => p.slug)).size).toBe(demo.products.length);
    for (const product of demo.products) {
      expect(demo.variants.filter((v) => v.productId === product.id).length).toBeGreaterThanOrEqual(2);
      expect(product.images.length).toBeGreaterThan(0);
    }
  });
});

describe.each(databaseEngines())('demo catalog loading on $name', (engine) => {
  let test: TestDatabase;
  let second: Database | undefined;
  const moduleOn = (db: Database) => createCatalogModule({ db, auth: createTestAuthenticator(), logger: quietLogger, seedDemoData: true });
  const count = async (table: string) =>
    (await test.db.query<{ n: number }>(`select count(*)::int as n from catalog.${table}`)).rows[0]!.n;

  beforeAll(async () => {
    if (engine.skip) return;
    test = await engine.open();
    // A second connection pool stands for a second instance where the engine allows one.
    second = test.url ? await createPgDatabase(test.url, 2) : undefined;
    await migrate(test.db, [moduleOn(test.db).migrations]);
  }, 180_000);
  afterAll(async () => {
    await second?.close();
    await test?.cleanup();
  });

  it.skipIf(engine.skip)('leaves a catalog that already has content alone', async () => {
    await test.db.query(
      `insert into catalog.categories (id, slug, name, path, created_at, updated_at) values (gen_random_uuid(), 'mine', 'Mine', 'mine', now(), now())`,
    );
    await moduleOn(test.db).start();
    expect(await count('products')).toBe(0);
    await test.db.query(`delete from catalog.categories`);
  });

  it.skipIf(engine.skip)('loads once when two instances start at the same time, and not again on restart', async () => {
    const demo = generateDemoCatalog();
    await Promise.all([moduleOn(test.db).start(), moduleOn(second ?? test.db).start()]);
    await moduleOn(test.db).start();
    expect(await count('products')).toBe(demo.products.length);
    expect(await count('categories')).toBe(demo.categories.length);
    expect(await count('variants')).toBe(demo.variants.length);
    // Opening stock is audited: every variant's trail sums to its on-hand.
    const { rows } = await test.db.query<{ mismatched: number }>(
      `select count(*)::int as mismatched from catalog.variants v
       where v.on_hand <> coalesce((select sum(a.delta) from catalog.stock_adjustments a where a.variant_id = v.id), 0)`,
    );
    expect(rows[0]!.mismatched).toBe(0);
    const snapshot = await moduleOn(test.db).api.getVariants([demo.variants[0]!.id]);
    expect(snapshot[0]).toMatchObject({ sku: demo.variants[0]!.sku, priceMinor: demo.variants[0]!.priceMinor });
  });
});
