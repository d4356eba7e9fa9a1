import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { adminOrderWhen, eventually, guestOrder, openAdminShop, type AdminShop, type Json } from './support/admin-shop.ts';

describe.each(databaseEngines())('the back office operations API on $name', (engine) => {
  let shop: AdminShop;
  let order: { orderId: string; orderNumber: string; variantId: string };
  const email = `ops-${randomUUID().slice(0, 8)}@example.com`;
  beforeAll(async () => {
    if (engine.skip) return;
    shop = await openAdminShop(engine);
    order = await guestOrder(shop, email, 1);
    await adminOrderWhen(shop, order.orderId, (o) => o.status === 'fulfilled' && o.emails.length > 0);
  }, 180_000);
  afterAll(async () => shop?.close());

  const admin = (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    shop.call(method, url, { as: shop.adminToken, body, headers });
  const confirmationsTo = async (to: string) =>
    (await admin('GET', '/api/admin/mail?limit=500')).json.messages.filter((m: Json) => m.to.includes(to) && m.subject.includes('confirmed'));
  /** Turns a finished delivery into a dead letter, as the bus leaves one after its last failed attempt. */
  const killDelivery = async (subscriber: string, type: string) => {
    const { rows } = await shop.app.db.query<{ id: number }>(
      `update events.deliveries d set status = 'dead', last_error = 'Error: planted for the test', done_at = null
         from events.outbox o
        where o.id = d.event_id and d.subscriber = $1 and d.event_type = $2 and o.payload->>'orderId' = $3
        returning d.id`,
      [subscriber, type, order.orderId],
    );
    expect(rows).toHaveLength(1);
    return Number(rows[0]!.id);
  };

  it.skipIf(engine.skip)('lists dead letters with their error and replays several at once; idempotent handlers give one effect', async () => {
    const mailId = await killDelivery('notifications', 'payments.payment_completed.v1');
    const ordersId = await killDelivery('orders', 'payments.payment_completed.v1');
    const dead = (await admin('GET', '/api/admin/events/dead-letters')).json.deliveries;
    expect(dead.map((d: Json) => d.id).sort()).toEqual([mailId, ordersId].sort());
    expect(dead[0].lastError).toBe('Error: planted for the test');

    const replay = await admin('POST', '/api/admin/events/dead-letters/replay', { ids: [mailId, ordersId, mailId, 999_999_999] });
    expect(replay.status, replay.body).toBe(200);
    expect(replay.json.replayed.map((d: Json) => d.id).sort()).toEqual([mailId, ordersId].sort());
    expect(replay.json.skipped).toEqual([{ id: 999_999_999, reason: 'NOT_FOUND' }]);

    await eventually(
      async () => {
        const { rows } = await shop.app.db.query<{ status: string; attempts: number }>(`select status, attempts from events.deliveries where id = any($1::bigint[])`, [[mailId, ordersId]]);
        return rows.every((r) => r.status === 'done' && r.attempts === 1) ? true : undefined;
      },
      () => 'replayed deliveries not done',
    );
    // The handlers ran again; their inbox and mail keys kept the effects single.
    expect(await confirmationsTo(email)).toHaveLength(1);
    const detail = (await admin('GET', `/api/admin/orders/${order.orderId}`)).json;
    expect(detail.timeline.filter((t: Json) => t.to === 'paid')).toHaveLength(1);
    expect(detail.emails.filter((e: Json) => e.kind === 'order_confirmation')).toHaveLength(1);

    const replays = (await admin('GET', '/api/admin/audit?action=delivery.replay')).json.entries;
    expect(replays.map((e: Json) => e.subject.id).sort()).toEqual([String(mailId), String(ordersId)].sort());
    expect(replays[0].before).toMatchObject({ status: 'dead', lastError: 'Error: planted for the test' });

    const again = await admin('POST', '/api/admin/events/dead-letters/replay', { ids: [mailId] });
    expect(again.json).toEqual({ replayed: [], skipped: [{ id: mailId, reason: 'NOT_DEAD' }] });
    for (const body of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { ids: [1], all: true }]) {
      expect((await admin('POST', '/api/admin/events/dead-letters/replay', body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it.skipIf(engine.skip)('replays every dead letter of one subscriber', async () => {
    const id = await killDelivery('shipping', 'orders.order_paid.v1');
    const replay = await admin('POST', '/api/admin/events/dead-letters/replay', { all: true, subscriber: 'shipping' });
    expect(replay.json.replayed.map((d: Json) => d.id)).toEqual([id]);
    await eventually(
      async () => ((await admin('GET', '/api/admin/events/dead-letters')).json.deliveries.length === 0 ? true : undefined),
      () => 'dead letters left',
    );
    // The label purchase is keyed per order: replayed, it bought no second label.
    expect((await admin('GET', `/api/admin/shipments?orderId=${order.orderId}`)).json.shipments).toHaveLength(1);
  });

  it.skipIf(engine.skip)('serves captured mail HTML sandboxed: CSP sandbox, no scripts', async () => {
    const [message] = await confirmationsTo(email);
    const html = await admin('GET', `/api/admin/mail/${message.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    const csp = String(html.headers['content-security-policy']);
    expect(csp.split(';').map((d) => d.trim())).toEqual(expect.arrayContaining(['sandbox', "default-src 'none'"]));
    expect(csp).not.toContain('script-src');
    expect(html.body).toContain(order.orderNumber);
    expect((await admin('GET', '/api/admin/mail/../../etc/passwd/html')).status).toBe(404);
    expect((await shop.call('GET', `/api/admin/mail/${message.id}/html`)).status).toBe(401);
  });

  it.skipIf(engine.skip)('moves a shipment forward only, and draws its label', async () => {
    const [shipment] = (await admin('GET', `/api/admin/shipments?orderId=${order.orderId}`)).json.shipments;
    expect((await admin('GET', `/api/admin/shipments?status=label_purchased`)).json.shipments.map((s: Json) => s.id)).toContain(shipment.id);
    const label = await admin('GET', `/api/admin/shipments/${shipment.id}/label`);
    expect(label.headers['content-type']).toContain('image/svg+xml');
    expect(label.body).toContain(shipment.trackingNumber);
    expect(String(label.headers['content-security-policy'])).toContain('sandbox');

    expect((await admin('POST', `/api/admin/shipments/${shipment.id}/advance`, { status: 'delivered' })).status).toBe(200);
    const back = await admin('POST', `/api/admin/shipments/${shipment.id}/advance`, { status: 'in_transit' });
    expect([back.status, back.json.error]).toEqual([409, 'SHIPPING.ILLEGAL_TRANSITION']);
    expect((await admin('POST', `/api/admin/shipments/${shipment.id}/advance`, { status: 'lost' })).status).toBe(400);
    expect((await admin('GET', `/api/admin/shipments/${randomUUID()}`)).status).toBe(404);
    await adminOrderWhen(shop, order.orderId, (o) => o.status === 'delivered');
  });

  it.skipIf(engine.skip)('pages shipments newest first with a keyset cursor', async () => {
    const second = await guestOrder(shop, `ops2-${randomUUID().slice(0, 6)}@example.com`, 1);
    await adminOrderWhen(shop, second.orderId, (o) => o.shipments.length === 1);
    const first = await admin('GET', '/api/admin/shipments?limit=1');
    expect(first.json.shipments.map((s: Json) => s.orderId)).toEqual([second.orderId]);
    const next = await admin('GET', `/api/admin/shipments?limit=1&cursor=${first.json.nextCursor}`);
    expect(next.json.shipments.map((s: Json) => s.orderId)).toEqual([order.orderId]);
    expect(next.json.nextCursor).toBeNull();
    const forged = await admin('GET', `/api/admin/shipments?cursor=${Buffer.from('[1,2]').toString('base64url')}`);
    expect([forged.status, forged.json.error]).toEqual([400, 'SHIPPING.INVALID_CURSOR']);
  });

  it.skipIf(engine.skip)('lists customers by part of their email with a cursor, and shows one with their orders', async () => {
    const tag = randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await shop.call('POST', '/api/auth/register', { body: { email: `cust${n}-${tag}@example.com`, password: 'a long customer password' } });
      expect(res.status).toBe(202);
    }
    const page1 = await admin('GET', `/api/admin/customers?search=${tag.toUpperCase()}&limit=2`);
    expect(page1.json.customers.map((c: Json) => c.email)).toEqual([`cust3-${tag}@example.com`, `cust2-${tag}@example.com`]);
    const page2 = await admin('GET', `/api/admin/customers?search=${tag}&limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json.customers.map((c: Json) => c.email)).toEqual([`cust1-${tag}@example.com`]);
    expect(page2.json.nextCursor).toBeNull();
    ids.push(...page1.json.customers.map((c: Json) => c.id));
    expect((await admin('GET', `/api/admin/customers?search=%25`)).json.customers).toEqual([]); // % is a character, not a wildcard

    const login = await shop.call('POST', '/api/auth/login', { body: { email: `cust3-${tag}@example.com`, password: 'a long customer password' } });
    const bearer = login.json.token as string;
    const products = await shop.call('GET', '/api/products?limit=1');
    const detail = await shop.call('GET', `/api/products/${products.json.items[0].id}`);
    await shop.call('POST', '/api/cart/items', { as: bearer, body: { variantId: detail.json.variants[0].id, quantity: 1 } });
    const placed = await shop.call('POST', '/api/checkout', {
      as: bearer,
      headers: { 'idempotency-key': `cust-${randomUUID()}` },
      body: { shippingAddress: { name: 'C', line1: '1 St', city: 'Lyon', postalCode: '69001', country: 'FR' }, shippingOptionId: 'standard', paymentMethod: '4242424242424242' },
    });
    expect(placed.status, placed.body).toBe(202);
    const customer = await admin('GET', `/api/admin/customers/${ids[0]}`);
    expect(customer.json.orders.map((o: Json) => o.id)).toEqual([placed.json.orderId]);
    const byCustomer = await admin('GET', `/api/admin/orders?customerId=${ids[0]}`);
    expect(byCustomer.json.orders.map((o: Json) => o.id)).toEqual([placed.json.orderId]);

    expect((await admin('GET', `/api/admin/customers/${randomUUID()}`)).status).toBe(404);
    expect((await admin('GET', '/api/admin/customers?cursor=bad!')).status).toBe(400);
    expect((await shop.call('GET', '/api/admin/customers', { as: bearer })).status).toBe(403);
  });

  it.skipIf(engine.skip)('reports the engines, the bus backlog and the relay to admins only', async () => {
    const health = await admin('GET', '/api/admin/health');
    expect(health.status).toBe(200);
    expect(health.json.engines.map((e: Json) => [e.name, e.ok])).toEqual([
      ['database', true],
      ['cache', true],
    ]);
    expect(health.json.bus.subscribers.map((s: Json) => s.subscriber)).toEqual(expect.arrayContaining(['orders', 'payments', 'notifications', 'shipping']));
    expect(health.json.relay).toEqual({ enabled: false, eventTypes: [], backlog: null });
    expect(['ok', 'degraded']).toContain(health.json.status);
    expect((await shop.call('GET', '/api/admin/health')).status).toBe(401);
  });
});
