import { describe, expect, it } from 'vitest';
import type { BuyLabelInput, ShippingProvider, SignedTrackingWebhook } from '../../src/modules/shipping/application/ports/shipping-provider.port.ts';
import { LabelIdempotencyKeyReusedError } from '../../src/modules/shipping/domain/shipping.errors.ts';

export interface ShippingProviderHarness {
  provider: ShippingProvider;
  /** The carrier's side: the parcel moves and the carrier signs a webhook about it. */
  advance(trackingNumber: string, status: 'in_transit' | 'delivered'): Promise<SignedTrackingWebhook>;
  labelsCreated(): number;
  /** A country the provider ships to, and one it does not. */
  servedCountry: string;
  unservedCountry: string;
}

/**
 * The one contract every ShippingProvider honours. Today only the sandbox carrier runs it
 * (`shipping-provider.test.ts`); a real carrier adapter must be added there, against a local
 * fake of the carrier's API, before it is used.
 */
export function shippingProviderContract(name: string, make: () => Promise<ShippingProviderHarness>) {
  describe(`ShippingProvider contract: ${name}`, () => {
    const input = (h: ShippingProviderHarness, orderId: string): BuyLabelInput => ({
      orderId,
      optionId: 'standard',
      parcel: { weightGrams: 1_200 },
      to: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: h.servedCountry },
      idempotencyKey: `label:${orderId}`,
    });

    it('quotes standard and express in integer minor units, cheapest first', async () => {
      const h = await make();
      const q = await h.provider.quote({ weightGrams: 1_200 }, { country: h.servedCountry, postalCode: 'N1 9GU' }, { orderSubtotalMinor: 1_000 });
      if (!q.ok) throw new Error(q.error.code);
      expect(q.options.map((o) => o.optionId)).toEqual(['standard', 'express']);
      for (const o of q.options) expect(Number.isSafeInteger(o.amountMinor)).toBe(true);
      expect(q.options[0]!.amountMinor).toBeLessThanOrEqual(q.options[1]!.amountMinor);
    });

    it('refuses destinations it does not serve and parcels it cannot carry, with stable codes', async () => {
      const h = await make();
      expect(await h.provider.quote({ weightGrams: 100 }, { country: h.unservedCountry, postalCode: '1' }, { orderSubtotalMinor: 0 })).toMatchObject({
        ok: false,
        error: { code: 'SHIPPING.UNSUPPORTED_DESTINATION' },
      });
      expect(await h.provider.quote({ weightGrams: 10_000_000 }, { country: h.servedCountry, postalCode: '1' }, { orderSubtotalMinor: 0 })).toMatchObject({
        ok: false,
        error: { code: 'SHIPPING.PARCEL_TOO_HEAVY' },
      });
    });

    it('buys a label, and a retried purchase returns the same label without buying another', async () => {
      const h = await make();
      const first = await h.provider.buyLabel(input(h, 'ord_a'));
      if (!first.ok) throw new Error(first.error.code);
      expect(first.label).toMatchObject({ optionId: 'standard' });
      expect(first.label.trackingNumber).toMatch(/\S{6,}/);
      expect(await h.provider.buyLabel(input(h, 'ord_a'))).toEqual(first);
      const other = await h.provider.buyLabel(input(h, 'ord_b'));
      if (!other.ok) throw new Error(other.error.code);
      expect(other.label.trackingNumber).not.toBe(first.label.trackingNumber);
      expect(h.labelsCreated()).toBe(2);
    });

    it('throws when a key is reused for a different label', async () => {
      const h = await make();
      await h.provider.buyLabel(input(h, 'ord_c'));
      await expect(h.provider.buyLabel({ ...input(h, 'ord_c'), optionId: 'express' })).rejects.toBeInstanceOf(LabelIdempotencyKeyReusedError);
    });

    it('refuses an unknown option', async () => {
      const h = await make();
      const bad = { ...input(h, 'ord_d'), optionId: 'teleport' } as unknown as BuyLabelInput;
      expect(await h.provider.buyLabel(bad)).toMatchObject({ ok: false, error: { code: 'SHIPPING.UNKNOWN_OPTION' } });
    });

    it('reports in_transit then delivered by verified webhooks naming the order and tracking number', async () => {
      const h = await make();
      const bought = await h.provider.buyLabel(input(h, 'ord_e'));
      if (!bought.ok) throw new Error(bought.error.code);
      const { trackingNumber } = bought.label;
      for (const status of ['in_transit', 'delivered'] as const) {
        const webhook = await h.advance(trackingNumber, status);
        expect(h.provider.parseTrackingWebhook(webhook.payload, webhook.signatureHeader)).toMatchObject({
          ok: true,
          event: { orderId: 'ord_e', trackingNumber, status },
        });
      }
    });

    it('refuses a tracking webhook that was altered or is unsigned', async () => {
      const h = await make();
      const bought = await h.provider.buyLabel(input(h, 'ord_f'));
      if (!bought.ok) throw new Error(bought.error.code);
      const webhook = await h.advance(bought.label.trackingNumber, 'in_transit');
      expect(h.provider.parseTrackingWebhook(webhook.payload.replace('in_transit', 'delivered'), webhook.signatureHeader)).toMatchObject({
        ok: false,
        error: { code: 'SHIPPING.WEBHOOK_SIGNATURE_MISMATCH' },
      });
      expect(h.provider.parseTrackingWebhook(webhook.payload, undefined)).toMatchObject({ ok: false, error: { code: 'SHIPPING.WEBHOOK_MALFORMED_HEADER' } });
    });
  });
}
