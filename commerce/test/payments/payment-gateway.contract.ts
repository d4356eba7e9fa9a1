import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CaptureOutcome, CreatePaymentIntentInput, PaymentGateway, SignedWebhook } from '../../src/modules/payments/application/ports/payment-gateway.port.ts';
import { IdempotencyKeyReusedError } from '../../src/modules/payments/domain/payments.errors.ts';

/** What the contract needs to drive an adapter beyond the port: the provider-side controls. */
export interface PaymentGatewayHarness {
  gateway: PaymentGateway;
  /** The same provider state behind a gateway with a short per-request timeout, for calls designed to hang. */
  withShortTimeout(): PaymentGateway;
  /** The shopper finishes authentication of a requires_confirmation intent; returns the provider's webhook. */
  completeConfirmation(intentId: string, result?: 'succeeds' | 'fails'): Promise<SignedWebhook>;
  /** The next mutating request is carried out but its answer is lost. */
  loseNextResponse(): void;
  /** Money movements the provider actually performed (replays excluded). */
  stats(): { authorizations: number; captures: number; refunds: number; voids?: number };
  webhooks(): readonly SignedWebhook[];
  close(): Promise<void>;
}

const CARD = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  timesOut: '4000000000000119',
  requiresConfirmation: '4000000000003220',
};

function order(paymentMethod: string, amountMinor = 4_250): CreatePaymentIntentInput {
  const orderId = `ord_${randomUUID()}`;
  return { orderId, amountMinor, currency: 'EUR', paymentMethod, idempotencyKey: `authorize:${orderId}` };
}

/**
 * The one contract every PaymentGateway adapter honours. Run by `payment-gateway.test.ts`
 * against the sandbox and against the Stripe adapter talking to the local Stripe fake.
 */
export function paymentGatewayContract(name: string, make: () => Promise<PaymentGatewayHarness>) {
  describe(`PaymentGateway contract: ${name}`, () => {
    async function withHarness(test: (h: PaymentGatewayHarness) => Promise<void>) {
      const h = await make();
      try {
        await test(h);
      } finally {
        await h.close();
      }
    }

    it('authorizes a good card, captures it once and reports it captured', () =>
      withHarness(async (h) => {
        const input = order(CARD.succeeds);
        const authorized = await h.gateway.createPaymentIntent(input);
        if (authorized.status !== 'authorized') throw new Error(`expected authorized, got ${authorized.status}`);
        expect(authorized.intent).toMatchObject({ orderId: input.orderId, amountMinor: 4_250, currency: 'EUR', state: 'authorized', amountCapturedMinor: 0 });
        const captured = await h.gateway.capture(authorized.intent.intentId, `capture:${input.orderId}`);
        expect(captured).toMatchObject({ status: 'captured', alreadyCaptured: false, intent: { state: 'captured', amountCapturedMinor: 4_250 } });
        expect(await h.gateway.retrieve(authorized.intent.intentId)).toMatchObject({ status: 'found', intent: { state: 'captured' } });
        expect(h.stats()).toMatchObject({ authorizations: 1, captures: 1 });
      }));

    it('voids an authorization never captured, replays the void for its key, and then refuses to capture it', () =>
      withHarness(async (h) => {
        const input = order(CARD.succeeds);
        const authorized = await h.gateway.createPaymentIntent(input);
        if (authorized.status !== 'authorized') throw new Error(`expected authorized, got ${authorized.status}`);
        const { intentId } = authorized.intent;
        const voided = await h.gateway.voidAuthorization(intentId, `void:${input.orderId}`);
        expect(voided).toMatchObject({ status: 'voided', intent: { state: 'canceled', amountCapturedMinor: 0 } });
        expect((await h.gateway.voidAuthorization(intentId, `void:${input.orderId}`)).status).toBe('voided');
        expect(await h.gateway.retrieve(intentId)).toMatchObject({ status: 'found', intent: { state: 'canceled' } });
        expect(await h.gateway.capture(intentId, `capture:${input.orderId}`)).toMatchObject({ status: 'refused', error: { code: 'PAYMENTS.NOT_CAPTURABLE' } });
        expect(h.stats()).toMatchObject({ captures: 0 });

        const paid = order(CARD.succeeds);
        const other = await h.gateway.createPaymentIntent(paid);
        if (other.status !== 'authorized') throw new Error(`expected authorized, got ${other.status}`);
        await h.gateway.capture(other.intent.intentId, `capture:${paid.orderId}`);
        expect(await h.gateway.voidAuthorization(other.intent.intentId, `void:${paid.orderId}`)).toMatchObject({
          status: 'refused',
          error: { code: 'PAYMENTS.NOT_VOIDABLE' },
        });
      }));

    it('replays the first outcome for a repeated idempotency key: same intent, one authorization', () =>
      withHarness(async (h) => {
        const input = order(CARD.succeeds);
        const first = await h.gateway.createPaymentIntent(input);
        const second = await h.gateway.createPaymentIntent({ ...input });
        expect(first.status).toBe('authorized');
        expect(second).toEqual(first);
        expect(h.stats().authorizations).toBe(1);
      }));

    it('throws when an idempotency key is reused with other parameters', () =>
      withHarness(async (h) => {
        const input = order(CARD.succeeds);
        await h.gateway.createPaymentIntent(input);
        await expect(h.gateway.createPaymentIntent({ ...input, amountMinor: input.amountMinor + 1 })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
        expect(h.stats().authorizations).toBe(1);
      }));

    it('returns a declined card as a typed result with a stable code, and says so by webhook', () =>
      withHarness(async (h) => {
        const declined = await h.gateway.createPaymentIntent(order(CARD.declined));
        expect(declined).toMatchObject({ status: 'declined', code: 'PAYMENTS.CARD_DECLINED', declineCode: 'generic_decline' });
        const poor = await h.gateway.createPaymentIntent(order(CARD.insufficientFunds));
        expect(poor).toMatchObject({ status: 'insufficient_funds', code: 'PAYMENTS.INSUFFICIENT_FUNDS' });
        const last = h.webhooks().at(-1);
        const parsed = last && h.gateway.parseWebhook(last.payload, last.signatureHeader);
        expect(parsed).toMatchObject({ ok: true, event: { type: 'payment.failed', code: 'PAYMENTS.INSUFFICIENT_FUNDS' } });
        expect(h.stats().authorizations).toBe(0);
      }));

    it('refuses something that is not a payment method', () =>
      withHarness(async (h) => {
        expect(await h.gateway.createPaymentIntent(order('1234567812345678'))).toMatchObject({ status: 'declined', code: 'PAYMENTS.INVALID_PAYMENT_METHOD' });
      }));

    it('reports a timeout as a distinct retryable outcome without charging', () =>
      withHarness(async (h) => {
        const input = order(CARD.timesOut);
        const first = await h.withShortTimeout().createPaymentIntent(input);
        expect(first).toMatchObject({ status: 'timeout', code: 'PAYMENTS.GATEWAY_TIMEOUT', retryable: true });
        expect(await h.withShortTimeout().createPaymentIntent(input)).toMatchObject({ status: 'timeout' });
        expect(h.stats().authorizations).toBe(0);
      }));

    it('after a lost answer, a retry with the same key returns the same intent and never charges twice', () =>
      withHarness(async (h) => {
        const input = order(CARD.succeeds);
        h.loseNextResponse();
        expect(await h.withShortTimeout().createPaymentIntent(input)).toMatchObject({ status: 'timeout', retryable: true });
        const retried = await h.gateway.createPaymentIntent(input);
        expect(retried.status).toBe('authorized');
        expect(h.stats().authorizations).toBe(1);
        if (retried.status !== 'authorized') return;
        h.loseNextResponse();
        const key = `capture:${input.orderId}`;
        expect(await h.withShortTimeout().capture(retried.intent.intentId, key)).toMatchObject({ status: 'timeout' });
        expect(await h.gateway.capture(retried.intent.intentId, key)).toMatchObject({ status: 'captured' });
        expect(h.stats().captures).toBe(1);
      }));

    it('confirms later by a signed webhook; client and webhook racing to capture move money once', () =>
      withHarness(async (h) => {
        const input = order(CARD.requiresConfirmation);
        const pending = await h.gateway.createPaymentIntent(input);
        if (pending.status !== 'requires_confirmation') throw new Error(`expected requires_confirmation, got ${pending.status}`);
        const { intentId } = pending.intent;
        expect(await h.gateway.capture(intentId, `early:${input.orderId}`)).toMatchObject({ status: 'refused', error: { code: 'PAYMENTS.NOT_CAPTURABLE' } });

        const webhook = await h.completeConfirmation(intentId);
        const parsed = h.gateway.parseWebhook(webhook.payload, webhook.signatureHeader);
        expect(parsed).toMatchObject({ ok: true, event: { type: 'payment.authorized', intent: { intentId, orderId: input.orderId, state: 'authorized' } } });
        expect(await h.gateway.retrieve(intentId)).toMatchObject({ status: 'found', intent: { state: 'authorized' } });

        const key = `capture:${input.orderId}`;
        const settle = async (outcome: CaptureOutcome): Promise<CaptureOutcome> =>
          outcome.status === 'timeout' || outcome.status === 'unavailable' ? settle(await h.gateway.capture(intentId, key)) : outcome;
        const raced = await Promise.all([h.gateway.capture(intentId, key), h.gateway.capture(intentId, key)]);
        const settled = await Promise.all(raced.map(settle));
        for (const outcome of settled) expect(outcome).toMatchObject({ status: 'captured', intent: { state: 'captured' } });
        // A late capture under another key finds the work done instead of failing.
        expect(await h.gateway.capture(intentId, `other:${input.orderId}`)).toMatchObject({ status: 'captured', alreadyCaptured: true });
        expect(h.stats().captures).toBe(1);
      }));

    it('reports an authentication that failed as a payment.failed webhook', () =>
      withHarness(async (h) => {
        const pending = await h.gateway.createPaymentIntent(order(CARD.requiresConfirmation));
        if (pending.status !== 'requires_confirmation') throw new Error(pending.status);
        const webhook = await h.completeConfirmation(pending.intent.intentId, 'fails');
        expect(h.gateway.parseWebhook(webhook.payload, webhook.signatureHeader)).toMatchObject({
          ok: true,
          event: { type: 'payment.failed', code: 'PAYMENTS.CARD_DECLINED', intent: { state: 'failed' } },
        });
      }));

    it('refuses a webhook whose body was altered', () =>
      withHarness(async (h) => {
        await h.gateway.createPaymentIntent(order(CARD.succeeds));
        const webhook = h.webhooks().at(-1)!;
        expect(h.gateway.parseWebhook(webhook.payload.replace('4250', '9999'), webhook.signatureHeader)).toMatchObject({
          ok: false,
          error: { code: 'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH' },
        });
      }));

    it('refunds part, then the rest, refuses more, and replays a repeated refund key', () =>
      withHarness(async (h) => {
        const input = order(CARD.succeeds, 1_000);
        const authorized = await h.gateway.createPaymentIntent(input);
        if (authorized.status !== 'authorized') throw new Error(authorized.status);
        const { intentId } = authorized.intent;
        expect(await h.gateway.refund({ intentId, amountMinor: 100, idempotencyKey: `refund:${input.orderId}:0` })).toMatchObject({
          status: 'refused',
          error: { code: 'PAYMENTS.NOT_CAPTURED' },
        });
        await h.gateway.capture(intentId, `capture:${input.orderId}`);
        const part = await h.gateway.refund({ intentId, amountMinor: 400, idempotencyKey: `refund:${input.orderId}:1` });
        expect(part).toMatchObject({ status: 'refunded', refund: { intentId, amountMinor: 400, currency: 'EUR' } });
        expect(await h.gateway.refund({ intentId, amountMinor: 400, idempotencyKey: `refund:${input.orderId}:1` })).toEqual(part);
        expect(await h.gateway.refund({ intentId, amountMinor: 601, idempotencyKey: `refund:${input.orderId}:2` })).toMatchObject({
          status: 'refused',
          error: { code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED' },
        });
        expect(await h.gateway.refund({ intentId, amountMinor: 600, idempotencyKey: `refund:${input.orderId}:3` })).toMatchObject({ status: 'refunded' });
        expect(h.stats().refunds).toBe(2);
      }));

    it('reports unknown intents as not found', () =>
      withHarness(async (h) => {
        expect(await h.gateway.retrieve('pi_does_not_exist')).toEqual({ status: 'not_found' });
        expect(await h.gateway.capture('pi_does_not_exist', 'k')).toMatchObject({ status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND' } });
      }));
  });
}
