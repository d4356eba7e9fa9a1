import { describe, expect, it } from 'vitest';
import { signWebhookPayload } from '../../../shared/webhooks/index.ts';
import { verifyWebhookSignature } from './payment-webhook.parser.ts';

// The scheme itself is tested in shared/webhooks; this checks the payments codes it maps to.
const secret = 'whsec_test_secret';
const payload = '{"id":"evt_1"}';
const t = 1_800_000_000;
const at = () => t * 1000;

describe('payments webhook signature codes', () => {
  it('accepts a valid signature', () => {
    expect(verifyWebhookSignature(payload, signWebhookPayload(payload, secret, t), secret, { now: at })).toEqual({ ok: true, timestampSeconds: t });
  });

  it.each([
    ['garbage', 'PAYMENTS.WEBHOOK_MALFORMED_HEADER'],
    [signWebhookPayload(payload, 'whsec_other', t), 'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH'],
    [signWebhookPayload(payload, secret, t - 301), 'PAYMENTS.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE'],
  ])('maps %j to %s', (header, code) => {
    expect(verifyWebhookSignature(payload, header, secret, { now: at })).toMatchObject({ ok: false, error: { code } });
  });
});
