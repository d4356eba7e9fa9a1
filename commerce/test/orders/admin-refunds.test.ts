import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentCompleted, PaymentRefunded } from '../../src/events/payments.events.ts';
import { databaseEngines } from '../support/databases.ts';
import { addToCart, addVariant, call, checkout, openOrdersApp, type OrdersTestApp, waitFor } from './support/orders-app.ts';

/** Refunds as orders prices and records them, with payments stood in for by the test (it publishes PaymentRefunded). */
describe.each(databaseEngines())('admin refunds in orders on $name', (engine) => {
  let app: OrdersTestApp;
  beforeAll(async () => {
    if (engine.skip) return;
    app = await openOrdersApp(engine, { startBus: true });
  }, 180_000);
  afterAll(async () => app?.close());

  const admin = { user: 'admin-1', admin: true };
  const publish = (event: Parameters<OrdersTestApp['events']['publish']>[1]) => app.db.transaction((tx) => app.events.publish(tx, event));
  const published = async (orderId: string, type: string) =>
    (await app.db.query<{ payload: Record<string, unknown> }>(`select payload from events.outbox where type = $1 and payload->>'orderId' = $2 order by position`, [type, orderId])).rows.map((r) => r.payload);
  const statusOf = async (orderId: string) => (await app.db.query<{ status: string }>('select status from orders.orders where id = $1', [orderId])).rows[0]?.status;

  async function paidOrder(quantity = 3, priceMinor = 1000) {
    const { variantId } = await addVariant(app.db, { onHand: 20, priceMinor });
    const user = randomUUID();
    await addToCart(app.server, { user }, variantId, quantity);
    const placed = await checkout(app.server, { user }, randomUUID());
    const orderId = placed.json.orderId as string;
    await publish(PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: placed.json.totalMinor, currency: 'EUR' }));
    await waitFor(async () => (await statusOf(orderId)) === 'paid');
    return { orderId, variantId, totalMinor: placed.json.totalMinor as number };
  }
  const refund = (orderId: string, body: unknown, key = `k-${randomUUID()}`) =>
    call(app.server, 'POST', `/api/admin/orders/${orderId}/refunds`, admin, body, { 'idempotency-key': key });

  it.skipIf(engine.skip)('two admins refunding the last of an order at once: one refund, the other told what is left', async () => {
    const { orderId, totalMinor } = await paidOrder();
    const answers = await Promise.all([refund(orderId, { full: true, reason: 'a' }), refund(orderId, { full: true, reason: 'b' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 422]);
    expect(answers.find((a) => a.status === 422)!.json).toMatchObject({ error: 'ORDERS.REFUND_EXCEEDS_CAPTURED', details: { refundableMinor: 0 } });
    expect((await published(orderId, 'orders.order_refund_requested.v1')).map((p) => p.amountMinor)).toEqual([totalMinor]);
  });

  it.skipIf(engine.skip)('a cancellation after a partial refund refunds only the rest; the paid-out refund is marked once', async () => {
    const { orderId, variantId, totalMinor } = await paidOrder(3, 1000);
    const partial = await refund(orderId, { lines: [{ variantId, quantity: 1 }], reason: 'broken' });
    expect(partial.status).toBe(202);
    expect(partial.json.amountMinor).toBe(1000);
    const paidOut = PaymentRefunded.create({ orderId, paymentId: randomUUID(), amountMinor: 1000, currency: 'EUR', refundRequestId: partial.json.id });
    await publish(paidOut);
    await publish(PaymentRefunded.create({ ...paidOut.payload }));
    await waitFor(async () => (await call(app.server, 'GET', `/api/admin/orders/${orderId}`, admin)).json.refunds[0].status === 'refunded');
    expect(await statusOf(orderId)).toBe('paid'); // a partial refund leaves the order's course alone

    expect((await call(app.server, 'POST', `/api/admin/orders/${orderId}/cancel`, admin)).status).toBe(200);
    expect(await published(orderId, 'orders.order_cancelled.v1')).toEqual([expect.objectContaining({ reason: 'admin', refundMinor: totalMinor - 1000 })]);
    const detail = (await call(app.server, 'GET', `/api/admin/orders/${orderId}`, admin)).json;
    expect(detail.refundableMinor).toBe(totalMinor - 1000);
    expect(detail.refunds.map((r: { status: string; refundedAt: string | null }) => [r.status, r.refundedAt !== null])).toEqual([['refunded', true]]);
  });

  it.skipIf(engine.skip)('refuses a refund of an unpaid order (nothing captured: cancel it instead)', async () => {
    const { variantId } = await addVariant(app.db, { onHand: 5 });
    const user = randomUUID();
    await addToCart(app.server, { user }, variantId, 1);
    const placed = await checkout(app.server, { user }, randomUUID());
    const res = await refund(placed.json.orderId, { amountMinor: 1, reason: 'x' });
    expect([res.status, res.json.error]).toEqual([409, 'ORDERS.NOT_REFUNDABLE']);
    expect(res.json.message).toContain('cancel it instead');
  });
});
