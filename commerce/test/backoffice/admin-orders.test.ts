import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { adminOrderWhen, guestOrder, openAdminShop, type AdminShop, type Json } from './support/admin-shop.ts';

describe.each(databaseEngines())('the back office order API on $name', (engine) => {
  let shop: AdminShop;
  let order: { orderId: string; orderNumber: string; variantId: string };
  const email = `bo-${randomUUID().slice(0, 8)}@example.com`;
  beforeAll(async () => {
    if (engine.skip) return;
    shop = await openAdminShop(engine);
    order = await guestOrder(shop, email, 3);
    await adminOrderWhen(shop, order.orderId, (o) => o.status === 'fulfilled' && o.emails.length > 0);
  }, 180_000);
  afterAll(async () => shop?.close());

  const admin = (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    shop.call(method, url, { as: shop.adminToken, body, headers });
  const refund = (body: Json, key = `refund-${randomUUID()}`) => admin('POST', `/api/admin/orders/${order.orderId}/refunds`, body, { 'idempotency-key': key });

  it.skipIf(engine.skip)('finds the order by number, email, status and customer, and pages with a cursor', async () => {
    const byNumber = await admin('GET', `/api/admin/orders?number=${order.orderNumber.toLowerCase()}`);
    expect(byNumber.json.orders.map((o: Json) => o.id)).toEqual([order.orderId]);
    const byEmail = await admin('GET', `/api/admin/orders?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.json.orders.map((o: Json) => o.id)).toEqual([order.orderId]);
    const pending = await admin('GET', `/api/admin/orders?status=pending_payment&email=${encodeURIComponent(email)}`);
    expect(pending.json.orders).toEqual([]);

    const second = await guestOrder(shop, email, 1);
    const first = await admin('GET', `/api/admin/orders?email=${encodeURIComponent(email)}&limit=1`);
    expect(first.json.orders.map((o: Json) => o.id)).toEqual([second.orderId]);
    const next = await admin('GET', `/api/admin/orders?email=${encodeURIComponent(email)}&limit=1&cursor=${first.json.nextCursor}`);
    expect(next.json.orders.map((o: Json) => o.id)).toEqual([order.orderId]);
    expect(next.json.nextCursor).toBeNull();

    for (const bad of ['number=SO%2000', 'customerId=nope', 'cursor=!!', 'status=lost', 'limit=1000']) {
      const res = await admin('GET', `/api/admin/orders?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.json.message).toBeTruthy();
    }
    const forged = await admin('GET', `/api/admin/orders?cursor=${Buffer.from('["x","y"]').toString('base64url')}`);
    expect([forged.status, forged.json.error]).toEqual([400, 'ORDERS.INVALID_CURSOR']);
  });

  it.skipIf(engine.skip)('shows lines, address, the captured payment, the label, the confirmation email and one merged history', async () => {
    const detail = (await admin('GET', `/api/admin/orders/${order.orderId}`)).json;
    expect(detail.lines).toHaveLength(1);
    expect(detail.lines[0]).toMatchObject({ variantId: order.variantId, quantity: 3, refundableQuantity: 3 });
    expect(detail.shippingAddress.city).toBe('Paris');
    expect(detail.payment).toMatchObject({ state: 'captured', capturedMinor: detail.totalMinor, refundedMinor: 0 });
    expect(detail.refundableMinor).toBe(detail.totalMinor);
    expect(detail.shipments).toHaveLength(1);
    expect(detail.shipments[0].status).toBe('label_purchased');
    expect(detail.emails.map((e: Json) => e.kind)).toEqual(['order_confirmation']);
    expect(detail.emails[0].to).toBe(email);
    const kinds = new Set(detail.activity.map((a: Json) => a.kind));
    expect(kinds).toEqual(new Set(['status', 'shipment', 'email']));
    const times = detail.activity.map((a: Json) => Date.parse(a.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    expect((await admin('GET', `/api/admin/orders/${randomUUID()}`)).status).toBe(404);
    expect((await admin('GET', '/api/admin/orders/not-a-uuid')).status).toBe(400);
  });

  it.skipIf(engine.skip)('refunds one unit: 202 once, the same key answers the same refund, payments pays it out once', async () => {
    const before = (await admin('GET', `/api/admin/orders/${order.orderId}`)).json;
    const unit = before.lines[0].unitPriceMinor as number;
    const key = `partial-${randomUUID()}`;
    const body = { lines: [{ variantId: order.variantId, quantity: 1 }], reason: 'one arrived broken' };
    const first = await refund(body, key);
    expect(first.status, first.body).toBe(202);
    expect(first.json).toMatchObject({ amountMinor: unit, status: 'requested', lines: [{ variantId: order.variantId, quantity: 1 }] });
    const again = await refund(body, key);
    expect([again.status, again.json.id]).toEqual([200, first.json.id]);
    const reused = await refund({ ...body, reason: 'something else' }, key);
    expect([reused.status, reused.json.error]).toEqual([422, 'ORDERS.IDEMPOTENCY_KEY_REUSED']);

    const after = await adminOrderWhen(shop, order.orderId, (o) => o.refunds.every((r: Json) => r.status === 'refunded') && o.payment.refundedMinor > 0);
    expect(after.payment).toMatchObject({ state: 'partially_refunded', refundedMinor: unit });
    expect(after.refunds).toHaveLength(1);
    expect(after.refundableMinor).toBe(before.totalMinor - unit);
    expect(after.lines[0].refundableQuantity).toBe(2);
    expect(after.status).toBe('fulfilled'); // a partly refunded order still ships
    expect(after.activity.filter((a: Json) => a.kind === 'refund').map((a: Json) => a.summary)).toEqual([
      expect.stringContaining('requested'),
      expect.stringContaining('paid out'),
    ]);
  });

  it.skipIf(engine.skip)('answers its own 4xx for a refund it cannot make', async () => {
    const detail = (await admin('GET', `/api/admin/orders/${order.orderId}`)).json;
    const tooMuch = await refund({ amountMinor: detail.refundableMinor + 1, reason: 'too generous' });
    expect([tooMuch.status, tooMuch.json.error]).toEqual([422, 'ORDERS.REFUND_EXCEEDS_CAPTURED']);
    expect(tooMuch.json.details.refundableMinor).toBe(detail.refundableMinor);
    const tooMany = await refund({ lines: [{ variantId: order.variantId, quantity: 3 }], reason: 'all three?' });
    expect([tooMany.status, tooMany.json.error, tooMany.json.details?.refundableQuantity]).toEqual([422, 'ORDERS.REFUND_LINE_INVALID', 2]);
    const noKey = await admin('POST', `/api/admin/orders/${order.orderId}/refunds`, { full: true, reason: 'x' });
    expect(noKey.status).toBe(400);
    expect(noKey.json.message).toContain('idempotency-key');
    for (const body of [{ reason: 'nothing chosen' }, { full: true, amountMinor: 5, reason: 'both' }, { amountMinor: -1, reason: 'x' }, { full: true, reason: '' }, { full: true, reason: 'x', extra: 1 }]) {
      const res = await refund(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await shop.call('POST', `/api/admin/orders/${order.orderId}/refunds`, { body: { full: true, reason: 'x' }, headers: { 'idempotency-key': 'anonymous-1' } })).status).toBe(401);
    const unpaid = await guestOrder(shop, `unpaid-${randomUUID().slice(0, 6)}@example.com`, 1);
    const cancelled = await admin('POST', `/api/admin/orders/${unpaid.orderId}/cancel`);
    expect(cancelled.status).toBe(200);
    const onCancelled = await admin('POST', `/api/admin/orders/${unpaid.orderId}/refunds`, { full: true, reason: 'x' }, { 'idempotency-key': `k-${randomUUID()}` });
    expect([onCancelled.status, onCancelled.json.error]).toEqual([409, 'ORDERS.NOT_REFUNDABLE']);
  });

  it.skipIf(engine.skip)('lets staff read, resend and cancel, but refuses them refunds before reading the body', async () => {
    const staff = (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
      shop.call(method, url, { as: shop.staffToken, body, headers });
    expect((await staff('GET', `/api/admin/orders/${order.orderId}`)).status).toBe(200);
    expect((await staff('GET', '/api/admin/orders?limit=1')).status).toBe(200);
    const forced = await staff('POST', `/api/admin/orders/${order.orderId}/refunds`, { nonsense: true }, { 'idempotency-key': `staff-${randomUUID()}` });
    expect(forced.status).toBe(403);
    expect(forced.json.message).toContain('orders.refund');
    expect((await staff('GET', '/api/admin/events/dead-letters')).status).toBe(403);
    expect((await staff('GET', '/api/admin/health')).status).toBe(403);
    const resent = await staff('POST', `/api/admin/orders/${order.orderId}/confirmation-email`, undefined, { 'idempotency-key': `staff-${randomUUID()}` });
    expect(resent.status, resent.body).toBe(200);
    const unpaid = await guestOrder(shop, `staff-cancel-${randomUUID().slice(0, 6)}@example.com`, 1);
    expect((await staff('POST', `/api/admin/orders/${unpaid.orderId}/cancel`)).status).toBe(200);
    const log = (await admin('GET', `/api/admin/audit?subjectId=${unpaid.orderId}`)).json.entries;
    expect(log.map((e: Json) => [e.action, e.actor.role, e.before, e.after])).toEqual([['order.cancel', 'staff', { status: 'pending_payment' }, { status: 'cancelled' }]]);
  });

  it.skipIf(engine.skip)('resends the confirmation once per key', async () => {
    const key = `resend-${randomUUID()}`;
    const send = (k: string) => admin('POST', `/api/admin/orders/${order.orderId}/confirmation-email`, undefined, { 'idempotency-key': k });
    const first = await send(key);
    expect(first.status, first.body).toBe(200);
    expect(first.json).toMatchObject({ duplicate: false, to: email });
    expect((await send(key)).json).toMatchObject({ duplicate: true, messageId: first.json.messageId });
    const detail = (await admin('GET', `/api/admin/orders/${order.orderId}`)).json;
    expect(detail.emails.map((e: Json) => e.kind).filter((k: string) => k === 'order_confirmation')).toEqual(['order_confirmation']);
    expect(detail.emails.filter((e: Json) => e.kind === 'order_confirmation_resent').map((e: Json) => e.messageId)).toContain(first.json.messageId);
    expect((await admin('POST', `/api/admin/orders/${order.orderId}/confirmation-email`)).status).toBe(400);
    const unknown = await admin('POST', `/api/admin/orders/${randomUUID()}/confirmation-email`, undefined, { 'idempotency-key': key });
    expect([unknown.status, unknown.json.error]).toEqual([404, 'NOTIFICATIONS.ORDER_UNKNOWN']);
  });

  it.skipIf(engine.skip)('refunds the rest in full; then nothing is left, and a cancel of a shipped order is refused', async () => {
    const before = (await admin('GET', `/api/admin/orders/${order.orderId}`)).json;
    const full = await refund({ full: true, reason: 'customer returned everything' });
    expect(full.status, full.body).toBe(202);
    expect(full.json.amountMinor).toBe(before.refundableMinor);
    expect(full.json.shipping).toBe(true);
    const after = await adminOrderWhen(shop, order.orderId, (o) => o.refunds.every((r: Json) => r.status === 'refunded'));
    expect(after.payment).toMatchObject({ state: 'refunded', refundedMinor: after.paidMinor });
    expect(after.refunds.reduce((sum: number, r: Json) => sum + r.amountMinor, 0)).toBe(after.paidMinor);
    const nothing = await refund({ amountMinor: 1, reason: 'one more cent' });
    expect([nothing.status, nothing.json.error]).toEqual([422, 'ORDERS.REFUND_EXCEEDS_CAPTURED']);

    const shipment = after.shipments[0];
    expect((await admin('POST', `/api/admin/shipments/${shipment.id}/advance`, { status: 'in_transit' })).status).toBe(200);
    await adminOrderWhen(shop, order.orderId, (o) => o.status === 'shipped');
    const cancel = await admin('POST', `/api/admin/orders/${order.orderId}/cancel`);
    expect([cancel.status, cancel.json.error]).toEqual([409, 'ORDERS.ILLEGAL_TRANSITION']);

    // Every step an admin or staff took on this order is in the audit log, newest first, with before and after.
    const log = (await admin('GET', `/api/admin/audit?subjectId=${order.orderId}`)).json.entries as Json[];
    expect(log.map((e) => e.action).reverse()).toEqual(['order.refund', 'order.resend_confirmation', 'order.resend_confirmation', 'order.refund']);
    const [lastRefund] = log;
    expect(lastRefund!.actor).toMatchObject({ role: 'admin', email: 'backoffice-admin@test.shop' });
    expect(lastRefund!.after.refundedMinor - lastRefund!.before.refundedMinor).toBe(full.json.amountMinor);
    const moved = (await admin('GET', `/api/admin/audit?subjectId=${shipment.id}`)).json.entries;
    expect(moved.map((e: Json) => [e.action, e.before.status, e.after.status])).toEqual([['shipment.advance', 'label_purchased', 'in_transit']]);
  });
});
