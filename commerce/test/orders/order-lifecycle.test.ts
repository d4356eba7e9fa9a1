import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../src/events/payments.events.ts';
import { LabelPurchased, ShipmentStatusChanged } from '../../src/events/shipping.events.ts';
import type { DomainEvent } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { addToCart, addVariant, call, checkout, openOrdersApp, stockOf, type OrdersTestApp } from './support/orders-app.ts';

async function waitFor<T>(check: () => Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(databaseEngines())('order lifecycle on $name', (engine) => {
  let app: OrdersTestApp;
  beforeAll(async () => {
    if (engine.skip) return;
    app = await openOrdersApp(engine, { startBus: true, paymentTimeoutMinutes: 30 });
  }, 180_000);
  afterAll(async () => app?.close());

  async function placeOrder(quantity = 2, onHand = 10) {
    const { variantId } = await addVariant(app.db, { onHand, priceMinor: 1000 });
    const user = randomUUID();
    await addToCart(app.server, { user }, variantId, quantity);
    const res = await checkout(app.server, { user }, randomUUID());
    expect(res.status).toBe(202);
    return { orderId: res.json.orderId as string, totalMinor: res.json.totalMinor as number, variantId, user };
  }
  const publish = (event: DomainEvent) => app.db.transaction((tx) => app.events.publish(tx, event));
  /** Resolves once the orders subscriber has finished (or given up on) this event. */
  const handled = (eventId: string) =>
    waitFor(async () => {
      const { rows } = await app.db.query<{ status: string }>(`select status from events.deliveries where event_id = $1 and subscriber = 'orders'`, [eventId]);
      return rows[0] && rows[0].status !== 'pending' && rows[0].status !== 'processing' ? rows[0].status : undefined;
    });
  const statusOf = async (orderId: string) =>
    (await app.db.query<{ status: string }>('select status from orders.orders where id = $1', [orderId])).rows[0]?.status;
  const timeline = async (orderId: string) =>
    (await app.db.query<{ to_status: string }>('select to_status from orders.order_events where order_id = $1 order by id', [orderId])).rows.map((r) => r.to_status);
  const published = async (orderId: string, type: string) =>
    (await app.db.query<{ payload: Record<string, unknown> }>(`select payload from events.outbox where type = $1 and payload->>'orderId' = $2 order by position`, [type, orderId])).rows.map((r) => r.payload);
  const paymentCompleted = (orderId: string, amountMinor: number) =>
    PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor, currency: 'EUR' });

  it.skipIf(engine.skip)('PaymentCompleted delivered twice (and reported twice) → one transition, one OrderPaid', async () => {
    const { orderId, totalMinor } = await placeOrder();
    const event = paymentCompleted(orderId, totalMinor);
    await publish(event);
    expect(await handled(event.id)).toBe('done');
    // Redeliver the very same event, as a lease takeover or an admin replay does.
    await app.db.query(`update events.deliveries set status = 'pending', next_attempt_at = now(), done_at = null where event_id = $1`, [event.id]);
    expect(await handled(event.id)).toBe('done');
    const { rows } = await app.db.query<{ attempts: number }>(`select attempts from events.deliveries where event_id = $1`, [event.id]);
    expect(rows[0]!.attempts).toBe(2); // the handler really ran a second time
    // And a second report of the same charge under a new event id.
    const again = paymentCompleted(orderId, totalMinor);
    await publish(again);
    expect(await handled(again.id)).toBe('done');

    expect(await statusOf(orderId)).toBe('paid');
    expect(await timeline(orderId)).toEqual(['pending_payment', 'paid']);
    const paid = await published(orderId, 'orders.order_paid.v1');
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ orderId, shippingOptionId: 'standard', lines: [{ quantity: 2 }] });
  });

  it.skipIf(engine.skip)('statement budget: paid, then fulfilled, each one statement on the orders schema (lock, step and timeline together)', async () => {
    const { orderId, totalMinor } = await placeOrder();
    const onOrders = () => app.observed.filter((s) => /\borders\.(orders|order_events)\b/.test(s));
    app.observed.splice(0);
    const paid = paymentCompleted(orderId, totalMinor);
    await publish(paid);
    expect(await handled(paid.id)).toBe('done');
    expect(onOrders(), onOrders().join('\n---\n')).toHaveLength(1);
    app.observed.splice(0);
    const label = LabelPurchased.create({ orderId, shipmentId: randomUUID(), carrier: 'sandbox', trackingNumber: 'T0', labelUrl: 'https://x/l.pdf' });
    await publish(label);
    expect(await handled(label.id)).toBe('done');
    expect(onOrders(), onOrders().join('\n---\n')).toHaveLength(1);
    expect(await timeline(orderId)).toEqual(['pending_payment', 'paid', 'fulfilled']);
  });

  it.skipIf(engine.skip)('the steps to paid and to fulfilled are taken in the transaction that published their event, before its commit', async () => {
    const { orderId, totalMinor } = await placeOrder();
    /** Publishes `event` and reads the order's status in the same transaction, after the inline deliveries ran, before the COMMIT. */
    const publishAndLook = async (event: DomainEvent) => {
      let seen: string | undefined;
      await app.db.transaction(async (tx) => {
        await app.events.publish(tx, event);
        tx.beforeCommit!(async () => {
          seen = (await tx.query<{ status: string }>('select status from orders.orders where id = $1', [orderId])).rows[0]?.status;
        });
      });
      return seen;
    };
    const paid = paymentCompleted(orderId, totalMinor);
    expect(await publishAndLook(paid)).toBe('paid');
    expect(await handled(paid.id)).toBe('done');
    const label = LabelPurchased.create({ orderId, shipmentId: randomUUID(), carrier: 'sandbox', trackingNumber: 'T9', labelUrl: 'https://x/l.pdf' });
    expect(await publishAndLook(label)).toBe('fulfilled');
    expect(await handled(label.id)).toBe('done');
    expect(await timeline(orderId)).toEqual(['pending_payment', 'paid', 'fulfilled']);
  });

  it.skipIf(engine.skip)('PaymentFailed → payment_failed then cancelled, stock released, OrderCancelled without refund', async () => {
    const { orderId, variantId } = await placeOrder(3);
    expect(await stockOf(app.db, variantId)).toEqual({ onHand: 10, reserved: 3 });
    const event = PaymentFailed.create({ orderId, paymentId: randomUUID(), code: 'card_declined', reason: 'Declined' });
    await publish(event);
    expect(await handled(event.id)).toBe('done');
    expect(await statusOf(orderId)).toBe('cancelled');
    expect(await timeline(orderId)).toEqual(['pending_payment', 'payment_failed', 'cancelled']);
    expect(await stockOf(app.db, variantId)).toEqual({ onHand: 10, reserved: 0 });
    expect(await published(orderId, 'orders.order_cancelled.v1')).toEqual([
      expect.objectContaining({ reason: 'payment_failed', refundMinor: 0 }),
    ]);
  });

  it.skipIf(engine.skip)('label → fulfilled with stock committed; carrier scans → shipped → delivered; a late scan is dropped', async () => {
    const { orderId, totalMinor, variantId } = await placeOrder(2);
    // The label arrives before the payment is recorded: it waits (retries) instead of being lost.
    const label = LabelPurchased.create({ orderId, shipmentId: randomUUID(), carrier: 'sandbox', trackingNumber: 'T1', labelUrl: 'https://x/l.pdf' });
    await publish(label);
    await publish(paymentCompleted(orderId, totalMinor));
    expect(await handled(label.id)).toBe('done');
    expect(await statusOf(orderId)).toBe('fulfilled');
    expect(await stockOf(app.db, variantId)).toEqual({ onHand: 8, reserved: 0 });

    const scan = (status: 'in_transit' | 'delivered') =>
      ShipmentStatusChanged.create({ orderId, shipmentId: label.payload.shipmentId, trackingNumber: 'T1', status, at: new Date().toISOString() });
    for (const event of [scan('in_transit'), scan('delivered'), scan('in_transit')]) {
      await publish(event);
      expect(await handled(event.id)).toBe('done');
    }
    expect(await statusOf(orderId)).toBe('delivered');
    expect(await timeline(orderId)).toEqual(['pending_payment', 'paid', 'fulfilled', 'shipped', 'delivered']);
  });

  it.skipIf(engine.skip)('expiry cancels unpaid orders once (two sweepers at once), releases their stock; a late payment is refunded', async () => {
    const orders = [await placeOrder(1), await placeOrder(2), await placeOrder(3)];
    app.clock.offsetMs = 31 * 60_000;
    try {
      const counts = await Promise.all([app.orders.api.expireUnpaidOrders(), app.orders.api.expireUnpaidOrders()]);
      expect(counts[0]! + counts[1]!).toBeGreaterThanOrEqual(3);
    } finally {
      app.clock.offsetMs = 0;
    }
    for (const { orderId, variantId } of orders) {
      expect(await statusOf(orderId)).toBe('cancelled');
      expect(await stockOf(app.db, variantId)).toEqual({ onHand: 10, reserved: 0 });
      expect(await published(orderId, 'orders.order_cancelled.v1')).toEqual([expect.objectContaining({ reason: 'payment_expired', refundMinor: 0 })]);
    }

    // The payment went through after all: the money must go back.
    const { orderId, totalMinor } = orders[0]!;
    const late = paymentCompleted(orderId, totalMinor);
    await publish(late);
    expect(await handled(late.id)).toBe('done');
    expect(await statusOf(orderId)).toBe('cancelled');
    expect(await published(orderId, 'orders.order_cancelled.v1')).toEqual([
      expect.objectContaining({ refundMinor: 0 }),
      expect.objectContaining({ reason: 'payment_expired', refundMinor: totalMinor }),
    ]);
    const refunded = PaymentRefunded.create({ orderId, paymentId: late.payload.paymentId, amountMinor: totalMinor, currency: 'EUR' });
    await publish(refunded);
    expect(await handled(refunded.id)).toBe('done');
    expect(await statusOf(orderId)).toBe('refunded');
  });

  it.skipIf(engine.skip)('an admin cancels a paid order (full refund, stock back), repeats harmlessly, and cannot cancel a shipped one', async () => {
    const admin = { user: randomUUID(), admin: true };
    const { orderId, totalMinor, variantId, user } = await placeOrder(2);
    const paid = paymentCompleted(orderId, totalMinor);
    await publish(paid);
    await handled(paid.id);

    expect((await call(app.server, 'POST', `/api/admin/orders/${orderId}/cancel`, { user })).status).toBe(403);
    const cancelled = await call(app.server, 'POST', `/api/admin/orders/${orderId}/cancel`, admin);
    expect([cancelled.status, cancelled.json.status, cancelled.json.cancelReason]).toEqual([200, 'cancelled', 'admin']);
    expect(await stockOf(app.db, variantId)).toEqual({ onHand: 10, reserved: 0 });
    expect((await call(app.server, 'POST', `/api/admin/orders/${orderId}/cancel`, admin)).status).toBe(200);
    expect(await published(orderId, 'orders.order_cancelled.v1')).toEqual([expect.objectContaining({ reason: 'admin', refundMinor: totalMinor })]);

    const shipped = await placeOrder(1);
    const pay = paymentCompleted(shipped.orderId, shipped.totalMinor);
    const label = LabelPurchased.create({ orderId: shipped.orderId, shipmentId: randomUUID(), carrier: 'sandbox', trackingNumber: 'T2', labelUrl: 'https://x/l.pdf' });
    await publish(pay);
    await publish(label);
    await handled(label.id);
    const refused = await call(app.server, 'POST', `/api/admin/orders/${shipped.orderId}/cancel`, admin);
    expect([refused.status, refused.json.error]).toEqual([409, 'ORDERS.ILLEGAL_TRANSITION']);
    expect((await call(app.server, 'POST', `/api/admin/orders/${randomUUID()}/cancel`, admin)).status).toBe(404);
  });
});
