import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { signWebhookPayload, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'whsec_test_secret';
const payload = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded' });
const t = 1_800_000_000;
const at = (seconds: number) => () => seconds * 1000;

describe('verifyWebhookSignature', () => {
  it('accepts a valid signature within tolerance', () => {
    expect(verifyWebhookSignature(payload, signWebhookPayload(payload, secret, t), secret, { now: at(t + 10) })).toEqual({
      ok: true,
      timestampSeconds: t,
    });
  });

  it('accepts a Buffer body identical to the signed string', () => {
    expect(verifyWebhookSignature(Buffer.from(payload), signWebhookPayload(payload, secret, t), secret, { now: at(t) }).ok).toBe(true);
  });

  it('refuses a tampered payload', () => {
    const header = signWebhookPayload(payload, secret, t);
    const tampered = payload.replace('succeeded', 'canceled');
    expect(verifyWebhookSignature(tampered, header, secret, { now: at(t) })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('refuses a signature made with another secret', () => {
    const header = signWebhookPayload(payload, 'whsec_other', t);
    expect(verifyWebhookSignature(payload, header, secret, { now: at(t) })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a replay older than the tolerance, accepts one just inside it', () => {
    const header = signWebhookPayload(payload, secret, t);
    expect(verifyWebhookSignature(payload, header, secret, { now: at(t + 300), toleranceSeconds: 300 }).ok).toBe(true);
    expect(verifyWebhookSignature(payload, header, secret, { now: at(t + 301), toleranceSeconds: 300 })).toMatchObject({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
  });

  it('refuses a timestamp too far in the future', () => {
    const header = signWebhookPayload(payload, secret, t + 301);
    expect(verifyWebhookSignature(payload, header, secret, { now: at(t) })).toMatchObject({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
  });

  it('does not let the timestamp be changed without breaking the signature', () => {
    const header = signWebhookPayload(payload, secret, t - 1000).replace(`t=${t - 1000}`, `t=${t}`);
    expect(verifyWebhookSignature(payload, header, secret, { now: at(t) })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it.each([undefined, '', 'garbage', 't=abc,v1=00', `t=${t}`, `v1=${'a'.repeat(64)}`, `t=${t},v1=xyz`, `t=${t},,v1=${'a'.repeat(64)}`])(
    'refuses the malformed header %j',
    (header) => {
      expect(verifyWebhookSignature(payload, header, secret, { now: at(t) })).toMatchObject({
        ok: false,
        reason: 'malformed_header',
      });
    },
  );

  it('accepts one matching signature among several (secret rotation)', () => {
    const good = signWebhookPayload(payload, secret, t).split(',v1=')[1];
    const header = `t=${t},v1=${'0'.repeat(64)},v1=${good}`;
    expect(verifyWebhookSignature(payload, header, secret, { now: at(t) }).ok).toBe(true);
  });

  it("accepts what Stripe's generateTestHeaderString produces, and Stripe accepts ours", () => {
    const stripeHeader = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });
    expect(verifyWebhookSignature(payload, stripeHeader, secret, { now: at(t) }).ok).toBe(true);
    expect(verifyWebhookSignature(payload, stripeHeader, 'whsec_other', { now: at(t) }).ok).toBe(false);
    const ours = signWebhookPayload(payload, secret, Math.floor(Date.now() / 1000));
    expect(Stripe.webhooks.constructEvent(payload, ours, secret).id).toBe('evt_1');
  });
});
