import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { ADMIN, bearerFor, startTestCommerce } from '../support/commerce-app.ts';

let app: CommerceApp;
beforeAll(async () => {
  app = await startTestCommerce();
}, 180_000);
afterAll(async () => {
  await app?.close();
});

/** The shopper's path through the composed app: browse, search, guest cart, register, log in, merged cart. */
describe('a shopper journey through the composed app', () => {
  it('browses, searches, fills a guest cart, signs in and finds the cart merged', async () => {
    const http = app.server;
    const listing = (await http.inject({ method: 'GET', url: '/api/products?limit=3&sort=price_asc' })).json();
    expect(listing.items).toHaveLength(3);
    expect(listing.items[0].priceMinor).toBeLessThanOrEqual(listing.items[2].priceMinor);

    const word = String(listing.items[0].name).split(' ').at(-1)!;
    const search = (await http.inject({ method: 'GET', url: `/api/products?q=${encodeURIComponent(word)}` })).json();
    expect(search.items.length).toBeGreaterThan(0);

    const detail = (await http.inject({ method: 'GET', url: `/api/products/${listing.items[0].id}` })).json();
    const variantId = detail.variants[0].id as string;

    const added = await http.inject({ method: 'POST', url: '/api/cart/items', payload: { variantId, quantity: 2 } });
    expect(added.statusCode).toBe(200);
    const cartToken = added.json().cartToken as string;
    expect(cartToken).toBeTruthy();

    const registered = await http.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'journey@test.shop', password: 'journey-password' },
    });
    expect(registered.statusCode).toBe(202);

    // A fresh login carrying the guest cart token merges it into the account's cart.
    const login = await http.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-cart-token': cartToken },
      payload: { email: 'journey@test.shop', password: 'journey-password' },
    });
    expect(login.statusCode).toBe(200);
    const bearer = login.json().token as string;

    const cart = (await http.inject({ method: 'GET', url: '/api/cart', headers: { authorization: `Bearer ${bearer}` } })).json();
    const line = cart.lines.find((l: { variantId: string }) => l.variantId === variantId);
    expect(line?.quantity).toBe(2);

    // The guest token no longer addresses a cart: the guest cart was moved, not copied.
    const guest = (await http.inject({ method: 'GET', url: '/api/cart', headers: { 'x-cart-token': cartToken } })).json();
    expect(guest.lines).toHaveLength(0);
  });

  it('emails the owner, and nobody else learns, when someone registers with an existing address', async () => {
    const http = app.server;
    const register = (email: string) => http.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: 'someone else entirely' } });
    const fresh = await register('newcomer@test.shop');
    const existing = await register(ADMIN.email);
    expect([existing.statusCode, existing.body]).toEqual([fresh.statusCode, fresh.body]);

    const admin = { authorization: `Bearer ${await bearerFor(app, ADMIN.email, ADMIN.password)}` };
    const deadline = Date.now() + 30_000;
    let notice: { to: string[]; subject: string } | undefined;
    while (!notice && Date.now() < deadline) {
      const mail = (await http.inject({ method: 'GET', url: '/api/admin/mail?limit=100', headers: admin })).json() as { messages: Array<{ to: string[]; subject: string }> };
      notice = mail.messages.find((m) => m.subject.includes('Someone tried to register with your address'));
      if (!notice) await new Promise((r) => setTimeout(r, 100));
    }
    expect(notice?.to).toEqual([ADMIN.email]);
  });
});
