import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogModule, type StockLine, type StockReservationResult } from '../../src/modules/catalog/index.ts';
import { migrate, type Database } from '../../src/shared/database/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { addVariant, silentLogger, stockOf } from './support/orders-app.ts';
import { createTestAuthenticator } from '../support/test-authenticator.ts';

/** The catalog's stock API as checkout uses it: inside the caller's transaction, through the catalog's public entry. */
describe.each(databaseEngines())('catalog stock reservation on $name', (engine) => {
  let test: TestDatabase;
  let db: Database;
  let catalog: ReturnType<typeof createCatalogModule>['api'];

  beforeAll(async () => {
    if (engine.skip) return;
    test = await engine.open();
    db = test.db;
    const module = createCatalogModule({ db, auth: createTestAuthenticator(), logger: silentLogger });
    await migrate(db, [module.migrations]);
    catalog = module.api;
  }, 180_000);
  afterAll(async () => test?.cleanup());

  const reserve = (lines: StockLine[]) => db.transaction((tx) => catalog.reserveStock(tx, lines));

  it.skipIf(engine.skip)('reserves what is available and refuses more, naming the SKU and what is left', async () => {
    const { variantId, sku } = await addVariant(db, { onHand: 5 });
    expect(await reserve([{ variantId, quantity: 3 }])).toEqual({ ok: true });
    const refused = await reserve([{ variantId, quantity: 3 }]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'CATALOG.INSUFFICIENT_STOCK', sku, available: 2 } });
    expect(await stockOf(db, variantId)).toEqual({ onHand: 5, reserved: 3 });
  });

  it.skipIf(engine.skip)('sums lines of the same variant before checking', async () => {
    const { variantId, sku } = await addVariant(db, { onHand: 5 });
    // Each line alone fits (3 <= 5); together they do not.
    const result = await reserve([
      { variantId, quantity: 3 },
      { variantId, quantity: 3 },
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: 'CATALOG.INSUFFICIENT_STOCK', sku, available: 5 } });
    expect(await stockOf(db, variantId)).toEqual({ onHand: 5, reserved: 0 });
  });

  it.skipIf(engine.skip)('is all or nothing across variants, whichever of them is short', async () => {
    const a = await addVariant(db, { onHand: 10 });
    const b = await addVariant(db, { onHand: 1 });
    for (const lines of [
      [{ variantId: a.variantId, quantity: 2 }, { variantId: b.variantId, quantity: 2 }],
      [{ variantId: b.variantId, quantity: 2 }, { variantId: a.variantId, quantity: 2 }],
    ]) {
      expect(await reserve(lines)).toMatchObject({ ok: false, error: { code: 'CATALOG.INSUFFICIENT_STOCK', sku: b.sku, available: 1 } });
      expect(await stockOf(db, a.variantId)).toEqual({ onHand: 10, reserved: 0 });
      expect(await stockOf(db, b.variantId)).toEqual({ onHand: 1, reserved: 0 });
    }
  });

  it.skipIf(engine.skip)('reports an unknown variant and reserves nothing', async () => {
    const a = await addVariant(db, { onHand: 10 });
    const missing = '00000000-0000-4000-8000-000000000000';
    const result = await reserve([
      { variantId: a.variantId, quantity: 1 },
      { variantId: missing, quantity: 1 },
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: 'CATALOG.VARIANT_NOT_FOUND', variantId: missing } });
    expect(await stockOf(db, a.variantId)).toEqual({ onHand: 10, reserved: 0 });
  });

  it.skipIf(engine.skip)('joins the caller transaction: a rollback undoes the reservation', async () => {
    const { variantId } = await addVariant(db, { onHand: 4 });
    await expect(
      db.transaction(async (tx) => {
        await catalog.reserveStock(tx, [{ variantId, quantity: 4 }]);
        throw new Error('order insert failed');
      }),
    ).rejects.toThrow('order insert failed');
    expect(await stockOf(db, variantId)).toEqual({ onHand: 4, reserved: 0 });
  });

  it.skipIf(engine.skip)('release gives stock back; commit takes it off the shelf with an audit row', async () => {
    const { variantId } = await addVariant(db, { onHand: 10 });
    await reserve([{ variantId, quantity: 6 }]);
    await db.transaction((tx) => catalog.releaseStock(tx, [{ variantId, quantity: 2 }]));
    expect(await stockOf(db, variantId)).toEqual({ onHand: 10, reserved: 4 });
    await db.transaction((tx) => catalog.commitStock(tx, [{ variantId, quantity: 4 }], { reason: 'order SO-1 shipped', actorId: 'orders' }));
    expect(await stockOf(db, variantId)).toEqual({ onHand: 6, reserved: 0 });
    const { rows } = await db.query<{ delta: number; reason: string; actor_id: string; on_hand_after: number }>(
      'select delta, reason, actor_id, on_hand_after from catalog.stock_adjustments where variant_id = $1',
      [variantId],
    );
    expect(rows).toEqual([{ delta: -4, reason: 'order SO-1 shipped', actor_id: 'orders', on_hand_after: 6 }]);
  });

  it.skipIf(engine.skip)('a double release is an error, never negative reserved stock', async () => {
    const { variantId } = await addVariant(db, { onHand: 3 });
    await reserve([{ variantId, quantity: 1 }]);
    await db.transaction((tx) => catalog.releaseStock(tx, [{ variantId, quantity: 1 }]));
    await expect(db.transaction((tx) => catalog.releaseStock(tx, [{ variantId, quantity: 1 }]))).rejects.toThrow();
    expect(await stockOf(db, variantId)).toEqual({ onHand: 3, reserved: 0 });
  });

  it.skipIf(engine.skip)('30 concurrent reservations over two variants in opposite line order: no oversell, no deadlock', async () => {
    const a = await addVariant(db, { onHand: 10 });
    const b = await addVariant(db, { onHand: 10 });
    const results: StockReservationResult[] = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        reserve(
          i % 2 === 0
            ? [{ variantId: a.variantId, quantity: 1 }, { variantId: b.variantId, quantity: 1 }]
            : [{ variantId: b.variantId, quantity: 1 }, { variantId: a.variantId, quantity: 1 }],
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(await stockOf(db, a.variantId)).toEqual({ onHand: 10, reserved: 10 });
    expect(await stockOf(db, b.variantId)).toEqual({ onHand: 10, reserved: 10 });
  });
});
