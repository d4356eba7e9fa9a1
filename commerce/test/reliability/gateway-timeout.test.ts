import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminBearer,
  adminGet,
  adminVariant,
  checkout,
  freshDatabase,
  guestCart,
  pickVariants,
  postgres,
  setStock,
  startShop,
  tempDir,
  waitForStatus,
  type ShopProcess,
  type TestDatabaseUrl,
} from './support/shop.ts';

/**
 * A gateway that never answers: it times out on every try (sandbox card 4000000000000119)
 * and the retry budget is 3 attempts 50 ms apart. The order must give up by itself: cancelled
 * after a payment_failed step, the payment failed with the timeout code, and the reserved
 * stock back where it was.
 *
 * Checked by breaking it: with the last-attempt branch of charge-order.ts throwing instead of
 * failing the payment (the delivery dead-letters and nothing else happens) the order stays
 * `pending_payment` and waitForStatus fails; restored.
 */
describe.skipIf(!postgres.available)('a gateway that times out', () => {
  let database: TestDatabaseUrl;
  let shop: ShopProcess;
  const data = tempDir('rel-timeout-');

  beforeAll(async () => {
    database = await freshDatabase();
    shop = await startShop({
      DATABASE_URL: database.url,
      DATA_DIR: data.path,
      PAYMENTS_MAX_ATTEMPTS: '3',
      PAYMENTS_RETRY_BASE_DELAY_MS: '50',
    });
  });
  afterAll(async () => {
    await shop?.stop();
    await database?.drop();
    data.remove();
  });

  it('cancels the order after the retry budget and releases the reserved stock', async () => {
    const bearer = await adminBearer(shop.base);
    const [variant] = await pickVariants(shop.base, 1);
    const v = variant!;
    await setStock(shop.base, bearer, v, 7);
    const before = await adminVariant(shop.base, bearer, v);

    const cart = await guestCart(shop.base, v.variantId, 2);
    const placed = await checkout(shop.base, cart, 'timeout-shopper@example.com', '4000000000000119');
    expect(placed.status, placed.text).toBe(202);
    expect(await adminVariant(shop.base, bearer, v)).toMatchObject({ onHand: before.onHand, reserved: before.reserved + 2 });

    const order = await waitForStatus(shop.base, placed.body, ['cancelled'], 60_000);
    expect(order.timeline.map((s) => s.to)).toEqual(['pending_payment', 'payment_failed', 'cancelled']);

    const payments = await adminGet<{ items: Array<{ state: string; failureCode: string | null }> }>(
      shop.base,
      bearer,
      `/api/admin/payments?orderId=${placed.body.orderId}`,
    );
    expect(payments.items).toMatchObject([{ state: 'failed', failureCode: 'PAYMENTS.GATEWAY_TIMEOUT' }]);
    // Exactly the budget: three attempts at the gateway for OrderCreated, then done (not dead).
    const deliveries = await adminGet<{ deliveries: Array<{ subscriber: string; status: string; attempts: number; payload: { orderId?: string } }> }>(
      shop.base,
      bearer,
      '/api/admin/events/deliveries?eventType=orders.order_created.v1&subscriber=payments&limit=50',
    );
    const mine = deliveries.deliveries.filter((d) => d.payload.orderId === placed.body.orderId);
    expect(mine).toMatchObject([{ status: 'done', attempts: 3 }]);

    expect(await adminVariant(shop.base, bearer, v)).toMatchObject({ onHand: before.onHand, reserved: before.reserved });
  }, 120_000);
});
