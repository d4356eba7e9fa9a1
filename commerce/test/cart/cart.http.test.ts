import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServer } from '@shop/platform';
import type { CartApi, CartConfig } from '../../src/modules/cart/index.ts';
import { createMemoryStore, type KeyValueStore } from '../../src/shared/kv/index.ts';
import { createFakeCatalog, type FakeCatalog } from './support/fake-catalog.ts';
import { startCartServer, TEST_CART_CONFIG } from './support/cart-server.ts';
import { call } from './support/http.ts';
import { storeEngines } from './support/stores.ts';

const opened: Array<{ server: HttpServer; kv: KeyValueStore }> = [];
afterEach(async () => {
  for (const { server, kv } of opened.splice(0)) {
    await server.close();
    await kv.close();
  }
});

async function start(config: Partial<CartConfig> = {}, kv: KeyValueStore = createMemoryStore()) {
  const catalog = createFakeCatalog();
  const { server, cart } = await startCartServer(kv, catalog, config);
  opened.push({ server, kv });
  return { server, catalog, kv, cart };
}

/** A guest cart holding `quantity` of a new variant; returns its token. */
async function guestCartWith(server: HttpServer, catalog: FakeCatalog, quantity = 1, token?: string) {
  const variant = catalog.add();
  const res = await call(server, 'POST', '/api/cart/items', { token, body: { variantId: variant.variantId, quantity } });
  expect(res.status).toBe(200);
  return { token: res.cart.cartToken as string, variant };
}

describe('cart over HTTP: guest carts', () => {
  it('creates a guest cart on the first add, with the token in the body and an httpOnly SameSite=Lax cookie', async () => {
    const { server, catalog } = await start();
    const v = catalog.add({ priceMinor: 1250 });
    const res = await call(server, 'POST', '/api/cart/items', { body: { variantId: v.variantId, quantity: 2 } });
    expect(res.status).toBe(200);
    expect(res.cart.cartToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const cookie = res.response.cookies.find((c) => c.name === 'cart_token');
    expect(cookie).toMatchObject({ value: res.cart.cartToken, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(res.cart).toMatchObject({ currency: 'EUR', subtotalMinor: 2500, itemCount: 2, hasIssues: false });
    expect(res.cart.lines).toEqual([
      expect.objectContaining({ variantId: v.variantId, productId: v.productId, sku: v.sku, quantity: 2, unitPriceMinor: 1250 }),
    ]);
  });

  it('reads the cart by cookie or by x-cart-token header, and edits it', async () => {
    const { server, catalog } = await start();
    const { token, variant } = await guestCartWith(server, catalog, 1);
    expect((await call(server, 'GET', '/api/cart', { cookie: token })).cart.lines[0]?.quantity).toBe(1);
    expect((await call(server, 'GET', '/api/cart', { token })).cart.cartToken).toBe(token);

    const added = await call(server, 'POST', '/api/cart/items', { token, body: { variantId: variant.variantId, quantity: 2 } });
    expect(added.cart.lines.map((l) => l.quantity)).toEqual([3]);
    const changed = await call(server, 'PATCH', `/api/cart/items/${variant.variantId}`, { cookie: token, body: { quantity: 7 } });
    expect(changed.cart.lines.map((l) => l.quantity)).toEqual([7]);
    const removedByZero = await call(server, 'PATCH', `/api/cart/items/${variant.variantId}`, { token, body: { quantity: 0 } });
    expect(removedByZero.cart.lines).toEqual([]);

    const other = catalog.add();
    await call(server, 'POST', '/api/cart/items', { token, body: { variantId: other.variantId, quantity: 1 } });
    const deleted = await call(server, 'DELETE', `/api/cart/items/${other.variantId}`, { token });
    expect(deleted.status).toBe(200);
    expect(deleted.cart.lines).toEqual([]);
  });

  it('empties the cart with DELETE /api/cart and clears the cookie', async () => {
    const { server, catalog } = await start();
    const { token } = await guestCartWith(server, catalog, 2);
    const res = await call(server, 'DELETE', '/api/cart', { cookie: token });
    expect(res.status).toBe(204);
    expect(res.response.cookies.find((c) => c.name === 'cart_token')?.value).toBe('');
    expect((await call(server, 'GET', '/api/cart', { cookie: token })).cart).toMatchObject({ lines: [], cartToken: null });
  });

  it('stores the cart with the configured time to live', async () => {
    const { server, catalog, kv } = await start({ ttlSeconds: 900 });
    const { token } = await guestCartWith(server, catalog);
    const ttl = await kv.ttl(`cart:guest:${token}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900);
  });

  it("never shows another shopper's cart for a guessed token; a guessed token gets a new cart of its own", async () => {
    const { server, catalog } = await start();
    const { token: victim, variant } = await guestCartWith(server, catalog, 4);
    const guess = randomUUID().replaceAll('-', '');
    const read = await call(server, 'GET', '/api/cart', { token: guess });
    expect(read.cart).toMatchObject({ cartToken: null, lines: [], itemCount: 0 });

    const added = await call(server, 'POST', '/api/cart/items', { token: guess, body: { variantId: variant.variantId, quantity: 1 } });
    expect(added.cart.cartToken).not.toBe(guess);
    expect(added.cart.cartToken).not.toBe(victim);
    expect(added.cart.lines.map((l) => l.quantity)).toEqual([1]);
    expect((await call(server, 'GET', '/api/cart', { token: victim })).cart.lines.map((l) => l.quantity)).toEqual([4]);
  });
});

describe('cart over HTTP: OpenAPI', () => {
  it('documents every cart route with its schemas', async () => {
    const { server } = await start();
    const spec = (await call(server, 'GET', '/docs/json')).json as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/cart'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(spec.paths['/api/cart/items'] ?? {})).toEqual(['post']);
    expect(Object.keys(spec.paths['/api/cart/items/{variantId}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    expect(Object.keys(spec.paths['/api/cart/accept-changes'] ?? {})).toEqual(['post']);
  });
});

describe('cart over HTTP: bad input and limits', () => {
  it.each([
    ['missing variantId', { quantity: 1 }, 'body.variantId'],
    ['a variantId that is not an id', { variantId: 'nope', quantity: 1 }, 'body.variantId'],
    ['quantity 0', { variantId: randomUUID(), quantity: 0 }, 'body.quantity'],
    ['a fractional quantity', { variantId: randomUUID(), quantity: 1.5 }, 'body.quantity'],
    ['a quantity above the maximum', { variantId: randomUUID(), quantity: TEST_CART_CONFIG.maxQuantity + 1 }, 'body.quantity'],
    ['a quantity as text', { variantId: randomUUID(), quantity: '2' }, 'body.quantity'],
  ])('answers 400 naming the field for %s', async (_case, body, field) => {
    const { server } = await start();
    const res = await call(server, 'POST', '/api/cart/items', { body });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(field);
  });

  it('answers 400 naming the field for a bad path id, a bad PATCH quantity and a malformed x-cart-token', async () => {
    const { server } = await start();
    const badParam = await call(server, 'PATCH', '/api/cart/items/not-a-uuid', { body: { quantity: 1 } });
    expect([badParam.status, badParam.json.message]).toEqual([400, expect.stringContaining('params.variantId')]);
    const negative = await call(server, 'PATCH', `/api/cart/items/${randomUUID()}`, { body: { quantity: -1 } });
    expect([negative.status, negative.json.message]).toEqual([400, expect.stringContaining('body.quantity')]);
    const badToken = await call(server, 'GET', '/api/cart', { token: 'short' });
    expect([badToken.status, badToken.json.message]).toEqual([400, expect.stringContaining('headers.x-cart-token')]);
  });

  it('refuses adding beyond stock with 409 CART.INSUFFICIENT_STOCK naming the available count', async () => {
    const { server, catalog } = await start();
    const v = catalog.add({ available: 4 });
    const first = await call(server, 'POST', '/api/cart/items', { body: { variantId: v.variantId, quantity: 3 } });
    const res = await call(server, 'POST', '/api/cart/items', {
      token: first.cart.cartToken as string,
      body: { variantId: v.variantId, quantity: 2 },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: 'CART.INSUFFICIENT_STOCK', details: { available: 4 } });
    expect(res.json.message).toContain('4');
  });

  it('refuses unknown (404) and unpurchasable (409) variants with a code', async () => {
    const { server, catalog } = await start();
    const unknown = await call(server, 'POST', '/api/cart/items', { body: { variantId: randomUUID(), quantity: 1 } });
    expect([unknown.status, unknown.json.error]).toEqual([404, 'CART.VARIANT_NOT_FOUND']);
    const draft = catalog.add({ purchasable: false });
    const res = await call(server, 'POST', '/api/cart/items', { body: { variantId: draft.variantId, quantity: 1 } });
    expect([res.status, res.json.error]).toEqual([409, 'CART.VARIANT_UNAVAILABLE']);
  });

  it('holds lines to maxQuantity and the cart to maxLines, and refuses a second currency', async () => {
    const { server, catalog } = await start({ maxLines: 2, maxQuantity: 5 });
    const { token, variant } = await guestCartWith(server, catalog, 4);
    const over = await call(server, 'POST', '/api/cart/items', { token, body: { variantId: variant.variantId, quantity: 2 } });
    expect([over.status, over.json.error]).toEqual([409, 'CART.QUANTITY_LIMIT']);

    const dollars = catalog.add({ currency: 'USD' });
    const mixed = await call(server, 'POST', '/api/cart/items', { token, body: { variantId: dollars.variantId, quantity: 1 } });
    expect([mixed.status, mixed.json.error]).toEqual([409, 'CART.CURRENCY_MISMATCH']);

    await guestCartWith(server, catalog, 1, token);
    const third = await call(server, 'POST', '/api/cart/items', { token, body: { variantId: catalog.add().variantId, quantity: 1 } });
    expect([third.status, third.json.error]).toEqual([409, 'CART.LINE_LIMIT']);
    expect((await call(server, 'GET', '/api/cart', { token })).cart.lines).toHaveLength(2);
  });

  it('answers 404 CART.LINE_NOT_FOUND when changing a line that is not in the cart', async () => {
    const { server, catalog } = await start();
    const { token } = await guestCartWith(server, catalog);
    const res = await call(server, 'PATCH', `/api/cart/items/${randomUUID()}`, { token, body: { quantity: 2 } });
    expect([res.status, res.json.error]).toEqual([404, 'CART.LINE_NOT_FOUND']);
  });
});

describe('cart over HTTP: re-checked on every read', () => {
  it('flags price changes, vanished and draft variants and short stock, totals available lines at current prices, and keeps the stored lines', async () => {
    const { server, catalog } = await start({ maxLines: 5 });
    const [same, dearer, gone, draft, short] = [
      catalog.add({ priceMinor: 100 }),
      catalog.add({ priceMinor: 200 }),
      catalog.add({ priceMinor: 300 }),
      catalog.add({ priceMinor: 400 }),
      catalog.add({ priceMinor: 500, available: 10 }),
    ];
    const first = await call(server, 'POST', '/api/cart/items', { body: { variantId: same.variantId, quantity: 1 } });
    const token = first.cart.cartToken as string;
    for (const [v, quantity] of [[dearer, 2], [gone, 1], [draft, 1], [short, 6]] as const) {
      expect((await call(server, 'POST', '/api/cart/items', { token, body: { variantId: v.variantId, quantity } })).status).toBe(200);
    }
    catalog.update(dearer.variantId, { priceMinor: 180 });
    catalog.remove(gone.variantId);
    catalog.update(draft.variantId, { purchasable: false });
    catalog.update(short.variantId, { available: 2 });

    for (let read = 0; read < 2; read++) {
      const { cart } = await call(server, 'GET', '/api/cart', { token });
      const line = (id: string) => cart.lines.find((l) => l.variantId === id);
      expect(line(dearer.variantId)).toMatchObject({ priceChanged: { was: 200, now: 180 }, unitPriceMinor: 180, unavailable: false });
      expect(line(gone.variantId)).toMatchObject({ unavailable: true, productId: null, lineTotalMinor: 0 });
      expect(line(draft.variantId)).toMatchObject({ unavailable: true });
      expect(line(short.variantId)).toMatchObject({ insufficientStock: { available: 2 }, quantity: 6 });
      expect(line(same.variantId)).toMatchObject({ priceChanged: null, unavailable: false, insufficientStock: null });
      // same 100 + dearer 2×180 + short 6×500; gone and draft excluded
      expect(cart).toMatchObject({ subtotalMinor: 3460, itemCount: 9, currency: 'EUR', hasIssues: true });
      expect(cart.issues).toHaveLength(4);
    }
  });

  it('accept-changes adopts current prices and drops unavailable lines', async () => {
    const { server, catalog } = await start();
    const { token, variant } = await guestCartWith(server, catalog, 2);
    const gone = catalog.add();
    await call(server, 'POST', '/api/cart/items', { token, body: { variantId: gone.variantId, quantity: 1 } });
    catalog.update(variant.variantId, { priceMinor: variant.priceMinor + 100 });
    catalog.remove(gone.variantId);

    const res = await call(server, 'POST', '/api/cart/accept-changes', { token });
    expect(res.status).toBe(200);
    expect(res.cart).toMatchObject({ hasIssues: false, issues: [], subtotalMinor: 2 * (variant.priceMinor + 100) });
    expect(res.cart.lines.map((l) => [l.variantId, l.priceChanged])).toEqual([[variant.variantId, null]]);
    expect((await call(server, 'GET', '/api/cart', { token })).cart.hasIssues).toBe(false);
  });
});

describe('cart over HTTP: signed-in shoppers and merge at sign-in', () => {
  it("keys a signed-in shopper's cart by user id and applies the CSRF check to cookie sessions", async () => {
    const { server, catalog } = await start();
    const v = catalog.add();
    const body = { variantId: v.variantId, quantity: 1 };
    const noCsrf = await call(server, 'POST', '/api/cart/items', { user: 'u1', body, headers: { 'x-test-via': 'cookie' } });
    expect(noCsrf.status).toBe(403);
    const ok = await call(server, 'POST', '/api/cart/items', { user: 'u1', body, headers: { 'x-test-via': 'cookie', 'x-csrf-token': 'valid' } });
    expect(ok.status).toBe(200);
    expect(ok.cart.cartToken).toBeNull();
    expect(ok.response.cookies.find((c) => c.name === 'cart_token')).toBeUndefined();
    expect((await call(server, 'GET', '/api/cart', { user: 'u1' })).cart.lines.map((l) => l.quantity)).toEqual([1]);
    expect((await call(server, 'GET', '/api/cart', { user: 'u2' })).cart.lines).toEqual([]);
  });

  it('merges the guest cart at sign-in, clears the cookie, and merging again doubles nothing', async () => {
    const { server, catalog } = await start({ maxQuantity: 10 });
    const shared = catalog.add();
    await call(server, 'POST', '/api/cart/items', { user: 'u1', body: { variantId: shared.variantId, quantity: 6 } });
    const guest = await call(server, 'POST', '/api/cart/items', { body: { variantId: shared.variantId, quantity: 5 } });
    const token = guest.cart.cartToken as string;
    const extra = catalog.add();
    await call(server, 'POST', '/api/cart/items', { token, body: { variantId: extra.variantId, quantity: 2 } });

    const signIn = await call(server, 'POST', '/api/test/sign-in', { user: 'u1', cookie: token });
    expect(signIn.status).toBe(200);
    expect(signIn.response.cookies.find((c) => c.name === 'cart_token')?.value).toBe('');
    const expected = [
      [shared.variantId, 10], // 6 + 5 capped at maxQuantity
      [extra.variantId, 2],
    ];
    expect((await call(server, 'GET', '/api/cart', { user: 'u1' })).cart.lines.map((l) => [l.variantId, l.quantity])).toEqual(expected);

    // A second sign-in with the same (now stale) token, by header as a mobile client sends it.
    await call(server, 'POST', '/api/test/sign-in', { user: 'u1', token });
    expect((await call(server, 'GET', '/api/cart', { user: 'u1' })).cart.lines.map((l) => [l.variantId, l.quantity])).toEqual(expected);
    expect((await call(server, 'GET', '/api/cart', { token })).cart.lines).toEqual([]);
  });

  it('offers checkout the cart through the public API', async () => {
    const { server, catalog, cart } = await start();
    const v = catalog.add({ priceMinor: 700 });
    await call(server, 'POST', '/api/cart/items', { user: 'u1', body: { variantId: v.variantId, quantity: 3 } });
    const api: CartApi = cart;
    const ready = await api.getCartForCheckout({ kind: 'user', userId: 'u1' });
    expect(ready).toMatchObject({ ok: true, value: { subtotalMinor: 2100, currency: 'EUR', itemCount: 3 } });
    await api.clearCart({ kind: 'user', userId: 'u1' });
    expect(await api.getCartForCheckout({ kind: 'user', userId: 'u1' })).toMatchObject({ ok: false, error: { code: 'CART.EMPTY' } });
  });
});

describe.each(storeEngines())('cart over HTTP on the $name store: concurrency', ({ open, skip }) => {
  it.skipIf(skip)('20 concurrent adds of one variant to one cart sum up, none lost', async () => {
    const { server, catalog } = await start({ maxQuantity: 50 }, open().kv);
    const { token, variant } = await guestCartWith(server, catalog, 1);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call(server, 'POST', '/api/cart/items', { token, body: { variantId: variant.variantId, quantity: 1 } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await call(server, 'GET', '/api/cart', { token })).cart.lines.map((l) => l.quantity)).toEqual([21]);
  });
});
