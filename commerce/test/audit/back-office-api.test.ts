import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { ADMIN, bearerFor, startTestCommerce } from '../support/commerce-app.ts';

const STAFF = { email: 'staff@test.shop', password: 'staff-password-123' };
// A real 2x2 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4YGAARAwQCgAjzgTBL1P/5wAAAABJRU5ErkJggg==', 'base64');

/** The admin API as the back office uses it: roles, the audit trail of catalog changes, images, the home's figures. */
describe('the back-office API', () => {
  let app: CommerceApp;
  let admin: string;
  let staff: string;

  beforeAll(async () => {
    app = await startTestCommerce({ SEED_DEMO_DATA: 'false', STAFF_EMAIL: STAFF.email, STAFF_PASSWORD: STAFF.password });
    [admin, staff] = await Promise.all([bearerFor(app, ADMIN.email, ADMIN.password), bearerFor(app, STAFF.email, STAFF.password)]);
  }, 120_000);
  afterAll(async () => app?.close());

  const call = async (token: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.server.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined ? {} : Buffer.isBuffer(payload) ? { payload } : { payload: payload as object }),
    });
    return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.rawPayload, headers: res.headers };
  };
  const newProduct = async (slug: string) => (await call(admin, 'POST', '/api/admin/products', { slug, name: `Product ${slug}` })).body as { id: string };

  it('tells each role what it may do', async () => {
    const me = (await call(staff, 'GET', '/api/me')).body;
    expect(me.role).toBe('staff');
    expect(me.permissions).toContain('orders.manage');
    expect(me.permissions).not.toContain('catalog.write');
    expect(me.permissions).not.toContain('orders.refund');
    expect(me.permissions).not.toContain('audit.read');
    expect((await call(admin, 'GET', '/api/me')).body.permissions).toContain('orders.refund');
  });

  it('lets staff read the catalog and move stock, and refuses prices, publishing, images, the audit log and operations with 403', async () => {
    const product = await newProduct('staff-check');
    const variant = (await call(admin, 'POST', `/api/admin/products/${product.id}/variants`, { sku: 'STAFF-1', priceMinor: 1000, currency: 'EUR', weightGrams: 10, onHand: 3 })).body;
    expect((await call(staff, 'GET', `/api/admin/products/${product.id}`)).status).toBe(200);
    expect((await call(staff, 'POST', `/api/admin/variants/${variant.id}/stock-adjustments`, { delta: 2, reason: 'found' })).status).toBe(201);
    const refused = [
      await call(staff, 'PATCH', `/api/admin/variants/${variant.id}`, { priceMinor: 1 }),
      await call(staff, 'PATCH', `/api/admin/products/${product.id}`, { status: 'published' }),
      await call(staff, 'POST', '/api/admin/products', { slug: 'by-staff', name: 'By staff' }),
      await call(staff, 'POST', `/api/admin/products/${product.id}/images`, PNG, { 'content-type': 'image/png' }),
      await call(staff, 'GET', '/api/admin/audit'),
      await call(staff, 'GET', '/api/admin/mail'),
      await call(staff, 'GET', '/api/admin/users'),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect(refused[0]!.body.message).toContain('catalog.write');
    // The price stayed where the admin put it.
    expect((await call(admin, 'GET', `/api/admin/products/${product.id}`)).body.variants[0].priceMinor).toBe(1000);
    // Orders are staff work: a cancel reaches the orders module (404 for an unknown order), not a 403.
    expect((await call(staff, 'POST', '/api/admin/orders/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(404);
    expect((await call(null, 'GET', '/api/admin/products')).status).toBe(401);
  });

  it('records every catalog change with who, what, when, before and after', async () => {
    const product = await newProduct('audited');
    const variant = (await call(admin, 'POST', `/api/admin/products/${product.id}/variants`, { sku: 'AUD-1', priceMinor: 1200, currency: 'EUR', weightGrams: 100 })).body;
    await call(admin, 'PATCH', `/api/admin/variants/${variant.id}`, { priceMinor: 1400 });
    await call(admin, 'PATCH', `/api/admin/products/${product.id}`, { status: 'published' });
    await call(staff, 'POST', `/api/admin/variants/${variant.id}/stock-adjustments`, { delta: 5, reason: 'delivery' });
    // Refused actions leave no entry.
    expect((await call(admin, 'POST', `/api/admin/variants/${variant.id}/stock-adjustments`, { delta: -50, reason: 'oops' })).status).toBe(409);

    const forVariant = (await call(admin, 'GET', `/api/admin/audit?subjectId=${variant.id}`)).body.entries;
    expect(forVariant.map((e: { action: string }) => e.action)).toEqual(['variant.stock_adjust', 'variant.update', 'variant.create']);
    const [adjusted, priced] = forVariant;
    expect(adjusted.actor).toMatchObject({ role: 'staff', email: STAFF.email });
    expect(adjusted.before).toEqual({ onHand: 0 });
    expect(adjusted.after).toEqual({ onHand: 5, reason: 'delivery' });
    expect(priced.actor).toMatchObject({ role: 'admin', email: ADMIN.email });
    expect(priced.before.priceMinor).toBe(1200);
    expect(priced.after.priceMinor).toBe(1400);
    const forProduct = (await call(admin, 'GET', `/api/admin/audit?subjectType=product&subjectId=${product.id}`)).body.entries;
    expect(forProduct.map((e: { action: string }) => e.action)).toEqual(['product.publish', 'product.create']);
    expect(forProduct[0].before.status).toBe('draft');
    expect(forProduct[0].after.status).toBe('published');
  });

  it('lists stock movements whose ids carry no RFC 4122 version (the demo catalog derives them with md5)', async () => {
    const product = await newProduct('hashed-ids');
    const variant = (await call(admin, 'POST', `/api/admin/products/${product.id}/variants`, { sku: 'HASH-1', priceMinor: 100, currency: 'EUR', weightGrams: 1 })).body;
    await app.db.query(
      `insert into catalog.stock_adjustments (id, variant_id, delta, reason, actor_id, on_hand_after, created_at)
       values ('d3b07384-d113-0ec4-0a41-2b5d1f4c8e1a', $1::uuid, 3, 'opening stock', 'demo', 3, now())`,
      [variant.id],
    );
    const listed = await call(staff, 'GET', `/api/admin/variants/${variant.id}/stock-adjustments`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a: { reason: string }) => a.reason)).toEqual(['opening stock']);
  });

  it('stores uploaded images through the object store, serves them, and refuses what is not an image', async () => {
    const product = await newProduct('pictured');
    const uploaded = await call(admin, 'POST', `/api/admin/products/${product.id}/images`, PNG, { 'content-type': 'image/png' });
    expect(uploaded.status).toBe(201);
    const url = uploaded.body.images[0] as string;
    expect(url).toMatch(/^\/api\/media\/products\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.png$/);
    const served = await call(null, 'GET', url);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.from(served.body as Buffer).equals(PNG)).toBe(true);

    // Declared an image, but the bytes are HTML: the type comes from the bytes.
    const html = await call(admin, 'POST', `/api/admin/products/${product.id}/images`, Buffer.from('<html><script>alert(1)</script>'), { 'content-type': 'image/png' });
    expect(html.status).toBe(415);
    expect(html.body.error).toBe('CATALOG.IMAGE_UNSUPPORTED');
    const huge = await call(admin, 'POST', `/api/admin/products/${product.id}/images`, Buffer.alloc(5 * 1024 * 1024 + 1), { 'content-type': 'image/png' });
    expect(huge.status).toBe(413);
    expect((await call(admin, 'POST', '/api/admin/products/00000000-0000-4000-8000-000000000000/images', PNG, { 'content-type': 'image/png' })).status).toBe(404);
    expect((await call(null, 'GET', '/api/media/products/00000000-0000-4000-8000-000000000000/00000000-0000-4000-8000-000000000000.png')).status).toBe(404);
    expect((await call(null, 'GET', '/api/media/products/x/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    // Removing it is an ordinary product update, and the path is accepted back as an image.
    expect((await call(admin, 'PATCH', `/api/admin/products/${product.id}`, { images: [] })).body.images).toEqual([]);
    expect((await call(admin, 'PATCH', `/api/admin/products/${product.id}`, { images: [url] })).body.images).toEqual([url]);
    expect((await call(admin, 'PATCH', `/api/admin/products/${product.id}`, { images: ['/api/media/../../secret'] })).status).toBe(400);
    const audit = (await call(admin, 'GET', `/api/admin/audit?subjectId=${product.id}&action=product.image_add`)).body.entries;
    expect(audit).toHaveLength(1);
  });

  it('answers the home figures: low stock of published variants, and order counts since a time', async () => {
    const shown = await newProduct('running-low');
    const hidden = await newProduct('draft-low');
    await call(admin, 'POST', `/api/admin/products/${shown.id}/variants`, { sku: 'LOW-1', priceMinor: 100, currency: 'EUR', weightGrams: 1, onHand: 1 });
    await call(admin, 'POST', `/api/admin/products/${shown.id}/variants`, { sku: 'PLENTY-1', priceMinor: 100, currency: 'EUR', weightGrams: 1, onHand: 50 });
    await call(admin, 'POST', `/api/admin/products/${hidden.id}/variants`, { sku: 'LOW-DRAFT', priceMinor: 100, currency: 'EUR', weightGrams: 1, onHand: 0 });
    await call(admin, 'PATCH', `/api/admin/products/${shown.id}`, { status: 'published' });
    const low = (await call(staff, 'GET', '/api/admin/variants/low-stock?threshold=5')).body.items.map((v: { sku: string }) => v.sku);
    expect(low).toContain('LOW-1');
    expect(low).not.toContain('PLENTY-1');
    expect(low).not.toContain('LOW-DRAFT');
    expect((await call(staff, 'GET', '/api/admin/variants/low-stock?threshold=-1')).status).toBe(400);

    const summary = await call(staff, 'GET', `/api/admin/orders-summary?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ orders: 0, revenue: [], awaitingPayment: 0, awaitingShipment: 0 });
    expect((await call(staff, 'GET', '/api/admin/orders-summary')).status).toBe(400);
    expect((await call(null, 'GET', `/api/admin/orders-summary?since=2026-01-01T00:00:00Z`)).status).toBe(401);
  });
});
