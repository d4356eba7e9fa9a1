import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { ADMIN, bearerFor, startTestCommerce } from '../support/commerce-app.ts';

let app: CommerceApp;
let customer: Record<string, string>;
let admin: Record<string, string>;
let variantId: string;
let productId: string;

beforeAll(async () => {
  app = await startTestCommerce();
  await app.server.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'text@test.shop', password: 'text-password-1' } });
  customer = { authorization: `Bearer ${await bearerFor(app, 'text@test.shop', 'text-password-1')}` };
  admin = { authorization: `Bearer ${await bearerFor(app, ADMIN.email, ADMIN.password)}` };
  productId = (await app.server.inject({ method: 'GET', url: '/api/products?limit=1' })).json().items[0].id;
  variantId = (await app.server.inject({ method: 'GET', url: `/api/products/${productId}` })).json().variants[0].id;
}, 180_000);
afterAll(async () => {
  await app?.close();
});

const ADDRESS = { name: 'Ada', line1: '1 Rue X', line2: 'B', city: 'Paris', postalCode: '75001', region: 'IDF', country: 'FR', phone: '+33 1' };

/** The raw JSON a client can send: `\ud800` and `\u0000` are valid JSON escapes. */
const post = (url: string, headers: Record<string, string>, json: string) =>
  app.server.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: json });

describe('strings PostgreSQL cannot store are refused with 400 naming the field, never a 500', () => {
  it('checkout: a lone surrogate in any shipping address field or in the payment method', async () => {
    await app.server.inject({ method: 'POST', url: '/api/cart/items', headers: customer, payload: { variantId, quantity: 1 } });
    const fields = [...Object.keys(ADDRESS).map((k) => ['shippingAddress', k]), ['paymentMethod']];
    for (const [i, path] of fields.entries()) {
      const body: Record<string, unknown> = { shippingAddress: { ...ADDRESS }, shippingOptionId: 'standard', paymentMethod: '4242424242424242' };
      const target = path.length === 2 ? (body.shippingAddress as Record<string, unknown>) : body;
      target[path.at(-1)!] = 'LONE';
      const json = JSON.stringify(body).replace('"LONE"', '"x\\ud800"');
      const res = await post('/api/checkout', { ...customer, 'idempotency-key': `text-checkout-${i}` }, json);
      expect(res.statusCode, json).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`^body\\.${path.join('\\.')}: must be well-formed Unicode`));
    }
  });

  it('saved addresses: NUL in any field', async () => {
    for (const key of Object.keys(ADDRESS)) {
      const json = JSON.stringify({ ...ADDRESS, [key]: 'NUL' }).replace('"NUL"', '"a\\u0000b"');
      const res = await post('/api/me/addresses', customer, json);
      expect(res.statusCode, key).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`^body\\.${key}: must not contain the NUL character`));
    }
  });

  it('admin variants: a lone surrogate in an option value', async () => {
    const json = '{"sku":"TEXT-1","options":{"size":"\\udc00"},"priceMinor":100,"currency":"EUR","weightGrams":10}';
    const res = await post(`/api/admin/products/${productId}/variants`, admin, json);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'body.options.size' }] });
  });
});
