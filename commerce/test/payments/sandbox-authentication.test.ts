import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { startTestCommerce } from '../support/commerce-app.ts';
import { freePort } from '../support/process.ts';

const CONFIRM_CARD = '4000000000003220';
const address = { name: 'Ada Lovelace', line1: '1 Rue X', city: 'Paris', postalCode: '75001', country: 'FR' };

let app: CommerceApp;
beforeAll(async () => {
  // Listening on the port the sandbox posts its webhooks to: the whole path is the real one.
  const port = await freePort();
  app = await startTestCommerce({ COMMERCE_PORT: String(port), EVENTS_POLL_INTERVAL_MS: '50' });
  await app.server.listen({ port, host: '127.0.0.1' });
}, 180_000);
afterAll(async () => {
  await app?.close();
});

async function guestOrderWaitingForAuthentication() {
  const http = app.server;
  const listing = (await http.inject({ method: 'GET', url: '/api/products?inStock=true&limit=1' })).json();
  const detail = (await http.inject({ method: 'GET', url: `/api/products/${listing.items[0].id}` })).json();
  const variant = detail.variants.find((v: { available: number }) => v.available > 0);
  const added = await http.inject({ method: 'POST', url: '/api/cart/items', payload: { variantId: variant.id, quantity: 1 } });
  const cartToken = added.json().cartToken as string;
  const placed = await http.inject({
    method: 'POST',
    url: '/api/checkout',
    headers: { 'x-cart-token': cartToken, 'idempotency-key': `sandbox-3ds-${crypto.randomUUID()}` },
    payload: { email: 'threeds@test.shop', shippingAddress: address, shippingOptionId: 'standard', paymentMethod: CONFIRM_CARD },
  });
  expect(placed.statusCode).toBe(202);
  const { orderId, orderToken } = placed.json() as { orderId: string; orderToken: string };
  await until(async () => (await payment(orderId, orderToken)).state === 'requires_confirmation');
  return { orderId, orderToken };
}

const payment = async (orderId: string, token: string) =>
  (await app.server.inject({ method: 'GET', url: `/api/payments/${orderId}`, headers: { 'x-order-token': token } })).json();
const orderStatus = async (orderId: string, token: string) =>
  (await app.server.inject({ method: 'GET', url: `/api/orders/${orderId}`, headers: { 'x-order-token': token } })).json().status as string;

async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const authenticate = (orderId: string, result: string, token = '') =>
  app.server.inject({ method: 'POST', url: `/api/payments/${orderId}/sandbox-authentication`, headers: { 'x-order-token': token }, payload: { result } });

describe('the sandbox 3-D Secure step', () => {
  it('approved: the sandbox sends its webhook and the order is paid and fulfilled without any other call', async () => {
    const { orderId, orderToken } = await guestOrderWaitingForAuthentication();
    expect(await orderStatus(orderId, orderToken)).toBe('pending_payment');
    const answered = await authenticate(orderId, 'approved', orderToken);
    expect(answered.statusCode).toBe(202);
    expect(answered.json()).toEqual({ orderId, result: 'approved' });
    await until(async () => (await orderStatus(orderId, orderToken)) === 'fulfilled');
    expect((await payment(orderId, orderToken)).state).toBe('captured');
    // Answered once: a second answer is a conflict, not a second charge.
    expect((await authenticate(orderId, 'approved', orderToken)).statusCode).toBe(409);
  });

  it('refused: the payment fails with a card decline and the order is cancelled', async () => {
    const { orderId, orderToken } = await guestOrderWaitingForAuthentication();
    expect((await authenticate(orderId, 'refused', orderToken)).statusCode).toBe(202);
    await until(async () => ['payment_failed', 'cancelled'].includes(await orderStatus(orderId, orderToken)));
    expect(await payment(orderId, orderToken)).toMatchObject({ state: 'failed', failureCode: 'PAYMENTS.CARD_DECLINED' });
  });

  it('refuses malformed and unknown requests with a 4xx that says what is wrong', async () => {
    const bad = await authenticate(crypto.randomUUID(), 'maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/approved or refused/);
    expect((await authenticate(crypto.randomUUID(), 'approved')).statusCode).toBe(404);
    expect((await app.server.inject({ method: 'GET', url: '/api/payments/not-a-uuid' })).statusCode).toBe(400);
    expect((await app.server.inject({ method: 'GET', url: `/api/payments/${crypto.randomUUID()}` })).statusCode).toBe(404);
  });
});
