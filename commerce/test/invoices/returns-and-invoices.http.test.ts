import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, adminOrderWhen, eventually, openAdminShop, type AdminShop, type Json } from '../backoffice/support/admin-shop.ts';
import { databaseEngines } from '../support/databases.ts';
import { pdfText } from './pdf-text.ts';

/**
 * The whole app as `npm start` wires it (sandbox gateway and carrier, mailbox, local object store):
 * a guest's paid order gets its invoice, the guest returns part of it after delivery, staff receive
 * it, payments refunds it and the credit note follows; each step emails the guest.
 */
describe.each(databaseEngines())('returns and invoices through the API on $name', (engine) => {
  let shop: AdminShop;
  beforeAll(async () => {
    if (engine.skip) return;
    shop = await openAdminShop(engine);
  }, 180_000);
  afterAll(async () => shop?.close());

  it.skipIf(engine.skip)('invoice on capture, readable by the guest with the token and by staff; return, refund and credit note after delivery', async () => {
    const products = await shop.call('GET', '/api/products?limit=1');
    const variantId = (await shop.call('GET', `/api/products/${products.json.items[0].id}`)).json.variants[0].id as string;
    const added = await shop.call('POST', '/api/cart/items', { body: { variantId, quantity: 2 } });
    const placed = await shop.call('POST', '/api/checkout', {
      headers: { 'x-cart-token': added.json.cartToken, 'idempotency-key': `ri-${randomUUID()}` },
      body: { email: 'guest@example.test', shippingAddress: ADDRESS, shippingOptionId: 'standard', paymentMethod: '4242424242424242' },
    });
    expect(placed.status).toBe(202);
    const { orderId, orderNumber, orderToken } = placed.json as { orderId: string; orderNumber: string; orderToken: string };
    const guest = { 'x-order-token': orderToken };

    const documents = await eventually(
      async () => {
        const res = await shop.call('GET', `/api/orders/${orderId}/invoices`, { headers: guest });
        return res.json.documents?.length > 0 ? (res.json.documents as Json[]) : undefined;
      },
      () => 'no invoice',
    );
    const invoice = documents[0]!;
    expect(invoice).toMatchObject({ kind: 'invoice', number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), totalMinor: placed.json.totalMinor });
    const pdf = await shop.app.server.inject({ method: 'GET', url: `/api/orders/${orderId}/invoices/${invoice.id}/pdf`, headers: guest });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [invoice.number, 'Shop SAS', 'Ada Lovelace', 'guest@example.test', orderNumber, 'Tax breakdown']) expect(text).toContain(expected);

    // Without the token, or with another one, the documents do not exist.
    expect((await shop.call('GET', `/api/orders/${orderId}/invoices/${invoice.id}/pdf`)).status).toBe(404);
    expect((await shop.call('GET', `/api/orders/${orderId}/invoices`, { headers: { 'x-order-token': 'not-the-token' } })).status).toBe(404);
    expect((await shop.call('GET', `/api/orders/${orderId}/invoices/not-a-uuid/pdf`, { headers: guest })).json.message).toContain('documentId');
    const staffPdf = await shop.app.server.inject({ method: 'GET', url: `/api/admin/invoices/${invoice.id}/pdf`, headers: { authorization: `Bearer ${shop.staffToken}` } });
    expect([staffPdf.statusCode, staffPdf.rawPayload.subarray(0, 5).toString()]).toEqual([200, '%PDF-']);

    const staff = { as: shop.staffToken };
    await adminOrderWhen(shop, orderId, (o) => o.shipments.length > 0);
    const [shipment] = (await shop.call('GET', `/api/admin/shipments?orderId=${orderId}`, staff)).json.shipments;
    expect((await shop.call('POST', `/api/admin/shipments/${shipment.id}/advance`, { ...staff, body: { status: 'delivered' } })).status).toBe(200);
    await adminOrderWhen(shop, orderId, (o) => o.status === 'delivered');

    const asked = await shop.call('POST', `/api/orders/${orderId}/returns`, {
      headers: { ...guest, 'idempotency-key': `ret-${randomUUID()}` },
      body: { lines: [{ variantId, quantity: 1 }], reason: 'wrong colour' },
    });
    expect([asked.status, asked.json.status]).toEqual([202, 'requested']);
    const queue = (await shop.call('GET', '/api/admin/returns?status=requested', staff)).json.returns as Json[];
    expect(queue.map((r) => r.id)).toContain(asked.json.id);
    expect((await shop.call('POST', `/api/admin/returns/${asked.json.id}/approve`, { ...staff, body: {} })).json.status).toBe('approved');
    const received = await shop.call('POST', `/api/admin/returns/${asked.json.id}/receive`, { ...staff, body: { disposition: 'restock' } });
    expect([received.status, received.json.status]).toEqual([200, 'received']);

    const detail = await adminOrderWhen(shop, orderId, (o) => o.refunds.some((r: Json) => r.status === 'refunded') && o.emails.filter((e: Json) => e.kind === 'return_update').length === 3);
    expect(detail.refunds).toEqual([expect.objectContaining({ id: received.json.refundId, amountMinor: received.json.refundMinor })]);
    const all = await eventually(
      async () => {
        const res = await shop.call('GET', `/api/orders/${orderId}/invoices`, { headers: guest });
        return res.json.documents?.length === 2 ? (res.json.documents as Json[]) : undefined;
      },
      () => 'no credit note',
    );
    const note = all.find((d) => d.kind === 'credit_note')!;
    expect(note).toMatchObject({ number: expect.stringMatching(/^CN-\d{4}-\d{6}$/), correctsNumber: invoice.number, totalMinor: received.json.refundMinor });
    const notePdf = await shop.app.server.inject({ method: 'GET', url: `/api/orders/${orderId}/invoices/${note.id}/pdf`, headers: guest });
    const noteText = await pdfText(notePdf.rawPayload);
    expect(noteText).toContain(`Corrects invoice: ${invoice.number}`);
    expect(noteText).toContain('return: wrong colour');
  }, 120_000);
});
