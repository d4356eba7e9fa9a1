import type { TrackingStatus } from '../../domain/shipment.ts';

export type { TrackingStatus };
import type { ShippingError } from '../../domain/shipping.errors.ts';
import type { ShippingOption, ShippingOptionId } from '../../domain/shipping-rates.ts';

/**
 * The carrier as the shipping use cases see it. The only adapter today is the sandbox carrier
 * (`createSandboxCarrier`); a real carrier adapter must pass `commerce/test/shipping/shipping-provider.contract.ts`.
 *
 * - checkout: `quote(parcel, destination, { orderSubtotalMinor })` for the options and prices;
 * - on `payments.payment_completed.v1`: `buyLabel({ ..., idempotencyKey: `label:${orderId}` })`.
 *   A retry with the same key returns the same label, never a second one;
 * - tracking webhook endpoint: `parseTrackingWebhook(rawBody, header)` → a verified
 *   `TrackingEvent` that moves the order to shipped (`in_transit`) or delivered.
 *
 * Expected failures are values with a `SHIPPING.*` code; infrastructure trouble throws.
 */
export interface ShippingProvider {
  quote(parcel: Parcel, destination: Destination, context: { orderSubtotalMinor: number }): Promise<QuoteOutcome>;
  buyLabel(input: BuyLabelInput): Promise<BuyLabelOutcome>;
  /** Pass the raw body byte for byte; re-serialized JSON does not verify. */
  parseTrackingWebhook(rawBody: string | Buffer, signatureHeader: string | undefined): TrackingWebhookOutcome;
}

export interface Parcel {
  weightGrams: number;
}

/** What rating needs; a label needs the full `ShippingAddress`. */
export interface Destination {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  postalCode: string;
}

export interface ShippingAddress extends Destination {
  name: string;
  line1: string;
  line2?: string;
  city: string;
}

export interface BuyLabelInput {
  orderId: string;
  optionId: ShippingOptionId;
  parcel: Parcel;
  to: ShippingAddress;
  idempotencyKey: string;
}

export interface Label {
  labelId: string;
  trackingNumber: string;
  carrier: string;
  labelUrl: string;
  optionId: ShippingOptionId;
}

export type QuoteOutcome = { ok: true; options: ShippingOption[] } | { ok: false; error: ShippingError };
export type BuyLabelOutcome = { ok: true; label: Label } | { ok: false; error: ShippingError };


export interface TrackingEvent {
  /** The carrier's event id: record it in the inbox, carriers deliver at least once. */
  eventId: string;
  orderId: string;
  trackingNumber: string;
  status: TrackingStatus;
  occurredAt: string;
}

export type TrackingWebhookOutcome = { ok: true; event: TrackingEvent } | { ok: false; error: ShippingError };

/** A webhook as it goes over the wire. */
export interface SignedTrackingWebhook {
  payload: string;
  signatureHeader: string;
}
