import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStripeGateway } from '../../src/modules/payments/infrastructure/stripe.gateway.ts';
import { startStripeFake, type StripeFake } from './support/stripe-fake.server.ts';

// What the shared contract cannot see: the wire format the adapter sends, and error mapping.
describe('Stripe adapter on the wire', () => {
  let fake: StripeFake;
  beforeEach(async () => {
    fake = await startStripeFake();
  });
  afterEach(() => fake.close());

  const gateway = (apiKey = fake.apiKey) => createStripeGateway({ apiKey, webhookSecret: fake.webhookSecret, baseUrl: fake.url });

  it('sends form-encoded PaymentIntents with manual capture, the order id as metadata, and derived idempotency keys', async () => {
    const r = await gateway().createPaymentIntent({ orderId: 'ord_7', amountMinor: 1999, currency: 'EUR', paymentMethod: '4242424242424242', idempotencyKey: 'authorize:ord_7' });
    if (r.status !== 'authorized') throw new Error(r.status);
    await gateway().capture(r.intent.intentId, 'capture:ord_7');
    await gateway().refund({ intentId: r.intent.intentId, amountMinor: 500, idempotencyKey: 'refund:ord_7:1' });
    const posts = fake.requests.filter((q) => q.method === 'POST');
    expect(posts.map((q) => [q.path.replace(r.intent.intentId, ':id'), q.idempotencyKey])).toEqual([
      ['/v1/payment_intents', 'authorize:ord_7'],
      ['/v1/payment_intents/:id/confirm', 'authorize:ord_7:confirm'],
      ['/v1/payment_intents/:id/capture', 'capture:ord_7'],
      ['/v1/refunds', 'refund:ord_7:1'],
    ]);
    const form = new URLSearchParams(posts[0]!.body);
    expect(Object.fromEntries(form)).toMatchObject({ amount: '1999', currency: 'eur', capture_method: 'manual', 'metadata[order_id]': 'ord_7', payment_method: 'pm_card_visa' });
  });

  it('never sends a raw card number to Stripe', async () => {
    const r = await gateway().createPaymentIntent({ orderId: 'o', amountMinor: 100, currency: 'EUR', paymentMethod: '5555555555554444', idempotencyKey: 'k' });
    expect(r).toMatchObject({ status: 'declined', code: 'PAYMENTS.INVALID_PAYMENT_METHOD' });
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a 5xx to a retryable unavailable outcome', async () => {
    fake.failNext(503);
    expect(await gateway().retrieve('pi_x')).toMatchObject({ status: 'unavailable', code: 'PAYMENTS.GATEWAY_UNAVAILABLE', retryable: true });
  });

  it('throws on a wrong API key: misconfiguration is not a customer outcome', async () => {
    await expect(gateway('sk_test_wrong').retrieve('pi_x')).rejects.toThrow(/API Key/);
  });
});
