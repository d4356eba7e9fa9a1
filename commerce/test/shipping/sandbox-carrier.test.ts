import { describe, expect, it } from 'vitest';
import { createSandboxCarrier } from '../../src/modules/shipping/infrastructure/sandbox.carrier.ts';
import { signWebhookPayload, verifyWebhookSignature } from '../../src/shared/webhooks/index.ts';
import { sandboxCarrierOptions as sandboxOptions } from './support/sandbox-carrier.options.ts';

const to = { name: 'A', line1: 'B', city: 'Paris', postalCode: '75001', country: 'FR' };

describe('sandbox carrier specifics', () => {
  it('derives the label from the idempotency key alone, so a restarted carrier names the same label', async () => {
    const buy = () => createSandboxCarrier(sandboxOptions).buyLabel({ orderId: 'o1', optionId: 'express', parcel: { weightGrams: 700 }, to, idempotencyKey: 'label:o1' });
    const [a, b] = [await buy(), await buy()];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: true, label: { carrier: 'sandbox-post', labelUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1\/labels\/lbl_[0-9a-f]{24}\.pdf$/) } });
  });

  it('applies the free-standard threshold from its rate table', async () => {
    const q = await createSandboxCarrier(sandboxOptions).quote({ weightGrams: 100 }, { country: 'fr', postalCode: '75001' }, { orderSubtotalMinor: 5_000 });
    expect(q).toMatchObject({ ok: true, options: [{ optionId: 'standard', amountMinor: 0 }, { optionId: 'express', amountMinor: 1_140 }] });
  });

  it('refuses replayed tracking webhooks outside the tolerance, in the past or the future', () => {
    const t = 1_800_000_000;
    const carrier = createSandboxCarrier({ ...sandboxOptions, now: () => t * 1000 });
    const payload = JSON.stringify({ id: 'e1', type: 'tracking.updated', data: { tracking_number: 'SBX1', order_id: 'o', status: 'delivered', occurred_at: new Date(t * 1000).toISOString() } });
    expect(carrier.parseTrackingWebhook(payload, signWebhookPayload(payload, sandboxOptions.webhookSecret, t - 100)).ok).toBe(true);
    for (const signedAt of [t - 301, t + 301]) {
      expect(carrier.parseTrackingWebhook(payload, signWebhookPayload(payload, sandboxOptions.webhookSecret, signedAt))).toMatchObject({
        ok: false,
        error: { code: 'SHIPPING.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE' },
      });
    }
    expect(verifyWebhookSignature(payload, signWebhookPayload(payload, 'other', t), sandboxOptions.webhookSecret, { now: () => t * 1000 }).ok).toBe(false);
    expect(verifyWebhookSignature(payload, `t=${t},v1=zz`, sandboxOptions.webhookSecret).ok).toBe(false);
  });
});
