import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentCompleted } from '../../src/events/payments.events.ts';
import { LabelPurchased, ShipmentStatusChanged } from '../../src/events/shipping.events.ts';
import { databaseEngines } from '../support/databases.ts';
import { addToCart, addVariant, call, checkout, openOrdersApp, stockOf, type OrdersTestApp, waitFor } from './support/orders-app.ts';

/** Returns as orders keeps them, on the real bus; payments and shipping are stood in for by events the test publishes. */
describe.each(databaseEngines())('returns in orders on $name', (engine) => {
  let app: OrdersTestApp;
  beforeAll(async () => {
    if (engine.skip) return;
    app = await openOrdersApp(engine, { startBus: true });
  }, 180_000);
  afterAll(async () => app?.close());

  const staff = (id = 'staff-1') => ({ 'x-test-user': id, 'x-test-role': 'staff' });
  const publish = (event: Parameters<OrdersTestApp['events']['publish']>[1]) => app.db.transaction((tx) => app.events.publish(tx, event));
  const published = async (orderId: string, type: string) =>
    (await app.db.query<{ payload: Record<string, unknown> }>(`select payload from events.outbox where type = $1 and payload->>'orderId' = $2 order by position`, [type, orderId])).rows.map((r) => r.payload);
  const statusOf = async (orderId: string) => (await app.db.query<{ status: string }>('select status from orders.orders where id = $1', [orderId])).rows[0]?.status;
  const staffCall = (method: 'GET' | 'POST', url: string, body?: unknown, who = staff()) =>
    app.server.inject({ method, url, headers: who, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) }).then((r) => ({ status: r.statusCode, json: r.json() }));

  async function deliveredOrder(quantity = 3, priceMinor = 1000) {
    const { variantId } = await addVariant(app.db, { onHand: 20, priceMinor });
    const user = randomUUID();
    await addToCart(app.server, { user }, variantId, quantity);
    const placed = await checkout(app.server, { user }, randomUUID());
    const orderId = placed.json.orderId as string;
    const shipmentId = randomUUID();
    await publish(PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: placed.json.totalMinor, currency: 'EUR' }));
    await waitFor(async () => (await statusOf(orderId)) === 'paid');
    await publish(LabelPurchased.create({ orderId, shipmentId, carrier: 'sandbox', trackingNumber: 'T1', labelUrl: '/l' }));
    await waitFor(async () => (await statusOf(orderId)) === 'fulfilled');
    await publish(ShipmentStatusChanged.create({ orderId, shipmentId, trackingNumber: 'T1', status: 'delivered', at: new Date().toISOString() }));
    await waitFor(async () => (await statusOf(orderId)) === 'delivered');
    return { orderId, variantId, user };
  }
  const askReturn = (orderId: string, user: string, body: unknown, key = `r-${randomUUID()}`) =>
    call(app.server, 'POST', `/api/orders/${orderId}/returns`, { user }, body, { 'idempotency-key': key });

  it.skipIf(engine.skip)('two staff receiving the same return at once: stock back once, one refund, one received event', async () => {
    const { orderId, variantId, user } = await deliveredOrder(3, 1000);
    const before = await stockOf(app.db, variantId);
    const asked = await askReturn(orderId, user, { lines: [{ variantId, quantity: 2 }], reason: 'too small' });
    expect([asked.status, asked.json.status]).toEqual([202, 'requested']);
    const returnId = asked.json.id as string;
    expect((await staffCall('POST', `/api/admin/returns/${returnId}/approve`, { note: 'send it' })).json.status).toBe('approved');

    const receipts = await Promise.all([
      staffCall('POST', `/api/admin/returns/${returnId}/receive`, { disposition: 'restock' }, staff('a')),
      staffCall('POST', `/api/admin/returns/${returnId}/receive`, { disposition: 'restock' }, staff('b')),
    ]);
    expect(receipts.map((r) => [r.status, r.json.status])).toEqual([
      [200, 'received'],
      [200, 'received'],
    ]);
    expect(receipts[0]!.json.refundId).toBe(receipts[1]!.json.refundId);
    expect((await stockOf(app.db, variantId)).onHand).toBe(before.onHand + 2);
    expect((await published(orderId, 'orders.order_refund_requested.v1')).map((p) => p.amountMinor)).toEqual([2000]);
    expect(await published(orderId, 'orders.return_received.v1')).toHaveLength(1);
    const types = (await app.db.query<{ type: string }>(`select type from events.outbox where payload->>'returnId' = $1 order by position`, [returnId])).rows.map((r) => r.type);
    expect(types).toEqual(['orders.return_requested.v1', 'orders.return_approved.v1', 'orders.return_received.v1']);

    const timeline = (await call(app.server, 'GET', `/api/orders/${orderId}`, { user })).json.timeline as Array<{ cause: string }>;
    expect(timeline.map((t) => t.cause).filter((c) => c.startsWith('return'))).toEqual([
      'return requested: 2 units (too small)',
      'return approved (send it)',
      'return received: 2 units restocked, 20.00 EUR refunded',
    ]);
    // The one unit left may still be returned; the two received may not again.
    const mine = (await call(app.server, 'GET', `/api/orders/${orderId}/returns`, { user })).json;
    expect(mine.lines).toEqual([{ variantId, returnableQuantity: 1 }]);
    const again = await askReturn(orderId, user, { lines: [{ variantId, quantity: 2 }], reason: 'again' });
    expect([again.status, again.json.error, again.json.details.returnableQuantity]).toEqual([422, 'ORDERS.RETURN_LINE_INVALID', 1]);
  });

  it.skipIf(engine.skip)('written off: no stock comes back, the refund still goes out; a refused return frees its units', async () => {
    const { orderId, variantId, user } = await deliveredOrder(2, 700);
    const before = await stockOf(app.db, variantId);
    const first = await askReturn(orderId, user, { lines: [{ variantId, quantity: 2 }], reason: 'broken' });
    expect((await staffCall('POST', `/api/admin/returns/${first.json.id}/refuse`, { note: 'worn' })).json.status).toBe('refused');
    const receiveRefused = await staffCall('POST', `/api/admin/returns/${first.json.id}/receive`, { disposition: 'restock' });
    expect([receiveRefused.status, receiveRefused.json.error]).toEqual([409, 'ORDERS.RETURN_STEP_INVALID']);

    const second = await askReturn(orderId, user, { lines: [{ variantId, quantity: 1 }], reason: 'broken' });
    expect(second.status).toBe(202);
    await staffCall('POST', `/api/admin/returns/${second.json.id}/approve`, {});
    const received = await staffCall('POST', `/api/admin/returns/${second.json.id}/receive`, { disposition: 'write_off' });
    expect([received.json.disposition, received.json.refundMinor]).toEqual(['write_off', 700]);
    expect((await stockOf(app.db, variantId)).onHand).toBe(before.onHand);
    const queue = (await staffCall('GET', '/api/admin/returns?status=received')).json.returns.map((r: { id: string }) => r.id);
    expect(queue).toContain(second.json.id);
  });

  it.skipIf(engine.skip)('refuses what may not be returned: another customer, an undelivered order, past the window, a bad body', async () => {
    const { orderId, variantId, user } = await deliveredOrder(1);
    const stranger = await askReturn(orderId, randomUUID(), { lines: [{ variantId, quantity: 1 }], reason: 'x' });
    expect(stranger.status).toBe(404);
    const badBody = await askReturn(orderId, user, { lines: [{ variantId: 'nope', quantity: 0 }], reason: '' });
    expect(badBody.status).toBe(400);
    expect(badBody.json.message).toMatch(/lines\.0\.variantId|variantId/);
    const noKey = await call(app.server, 'POST', `/api/orders/${orderId}/returns`, { user }, { lines: [{ variantId, quantity: 1 }], reason: 'x' });
    expect([noKey.status, noKey.json.message]).toEqual([400, expect.stringContaining('idempotency-key')]);

    app.clock.offsetMs = 31 * 86_400_000;
    try {
      const late = await askReturn(orderId, user, { lines: [{ variantId, quantity: 1 }], reason: 'late' });
      expect([late.status, late.json.error]).toEqual([409, 'ORDERS.NOT_RETURNABLE']);
      expect(late.json.message).toContain('30-day return window closed');
    } finally {
      app.clock.offsetMs = 0;
    }

    const { variantId: other } = await addVariant(app.db, { onHand: 5 });
    const paidOnly = randomUUID();
    await addToCart(app.server, { user: paidOnly }, other, 1);
    const placed = await checkout(app.server, { user: paidOnly }, randomUUID());
    const early = await askReturn(placed.json.orderId, paidOnly, { lines: [{ variantId: other, quantity: 1 }], reason: 'x' });
    expect([early.status, early.json.error]).toEqual([409, 'ORDERS.NOT_RETURNABLE']);
  });

  it.skipIf(engine.skip)('a customer may not decide their own return', async () => {
    const { orderId, variantId, user } = await deliveredOrder(1);
    const asked = await askReturn(orderId, user, { lines: [{ variantId, quantity: 1 }], reason: 'x' });
    const self = await app.server.inject({ method: 'POST', url: `/api/admin/returns/${asked.json.id}/approve`, headers: { 'x-test-user': user }, payload: {} });
    expect(self.statusCode).toBe(403);
  });
});
