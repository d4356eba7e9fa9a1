import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type {
  BuyLabelInput,
  BuyLabelOutcome,
  Label,
  QuoteOutcome,
  ShippingProvider,
  SignedTrackingWebhook,
  TrackingStatus,
  TrackingWebhookOutcome,
} from '../application/ports/shipping-provider.port.ts';
import { LabelIdempotencyKeyReusedError } from '../domain/shipping.errors.ts';
import { rateOptions, type RateTable } from '../domain/shipping-rates.ts';
import { signWebhookPayload, webhookVerifier } from '../../../shared/webhooks/index.ts';

export interface SandboxCarrierOptions {
  rates: RateTable;
  /** Signs tracking webhooks and verifies the ones handed back. No default: secrets come from config. */
  webhookSecret: string;
  /** Countries it ships to (ISO alpha-2). */
  countries: readonly string[];
  /** Where label "PDFs" are said to live, e.g. the admin's label route. */
  labelBaseUrl: string;
  /** Receives every tracking webhook, e.g. a POST to the shop's endpoint; runs in the background. */
  deliver?: (webhook: SignedTrackingWebhook) => Promise<void>;
  onDeliveryError?: (error: unknown) => void;
  webhookToleranceSeconds?: number;
  now?: () => number;
}

export interface SandboxCarrier extends ShippingProvider {
  /** Demo and test control: the parcel moves; returns the signed webhook it emits. */
  advance(trackingNumber: string, status: TrackingStatus): SignedTrackingWebhook;
  /** Labels actually created (a replayed purchase is not counted). */
  readonly labelsCreated: number;
}

const CARRIER = 'sandbox-post';

/** The shared signature check (`shared/webhooks`), failing under shipping's stable codes. */
const verifyWebhookSignature = webhookVerifier({
  malformed_header: 'SHIPPING.WEBHOOK_MALFORMED_HEADER',
  signature_mismatch: 'SHIPPING.WEBHOOK_SIGNATURE_MISMATCH',
  timestamp_out_of_tolerance: 'SHIPPING.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
});

const trackingEventSchema = z.object({
  id: z.string().min(1),
  type: z.literal('tracking.updated'),
  data: z.object({
    tracking_number: z.string().min(1),
    order_id: z.string().min(1),
    status: z.enum(['in_transit', 'delivered']),
    occurred_at: z.iso.datetime({ offset: true }),
  }),
});

/**
 * The embedded carrier: prices from `rateOptions`, labels whose ids and tracking numbers are a
 * hash of the idempotency key (a retried purchase, even after a restart, names the same label),
 * tracking webhooks signed like Stripe's. Label records live in memory.
 */
export function createSandboxCarrier(options: SandboxCarrierOptions): SandboxCarrier {
  const now = options.now ?? Date.now;
  const labels = new Map<string, { fingerprint: string; label: Label; orderId: string }>();
  const byTracking = new Map<string, { label: Label; orderId: string }>();
  let labelsCreated = 0;

  const carrier: SandboxCarrier = {
    get labelsCreated() {
      return labelsCreated;
    },

    async quote(parcel, destination, context): Promise<QuoteOutcome> {
      if (!options.countries.includes(destination.country.toUpperCase())) {
        return { ok: false, error: { code: 'SHIPPING.UNSUPPORTED_DESTINATION', message: `No delivery to ${destination.country}` } };
      }
      return rateOptions(parcel, context.orderSubtotalMinor, options.rates);
    },

    async buyLabel(input: BuyLabelInput): Promise<BuyLabelOutcome> {
      const { idempotencyKey, ...params } = input;
      const fingerprint = JSON.stringify(params);
      const previous = labels.get(idempotencyKey);
      if (previous) {
        if (previous.fingerprint !== fingerprint) throw new LabelIdempotencyKeyReusedError(idempotencyKey);
        return { ok: true, label: { ...previous.label } };
      }
      const quoted = await carrier.quote(input.parcel, input.to, { orderSubtotalMinor: 0 });
      if (!quoted.ok) return quoted;
      if (!quoted.options.some((o) => o.optionId === input.optionId)) {
        return { ok: false, error: { code: 'SHIPPING.UNKNOWN_OPTION', message: `No option ${String(input.optionId)}` } };
      }
      const digest = createHash('sha256').update(`label:${idempotencyKey}`).digest();
      const labelId = `lbl_${digest.subarray(0, 12).toString('hex')}`;
      // 12 digits from the hash, like a carrier's numeric tracking number.
      const trackingNumber = `SBX${(digest.readBigUInt64BE(12) % 10n ** 12n).toString().padStart(12, '0')}`;
      const label: Label = { labelId, trackingNumber, carrier: CARRIER, labelUrl: `${options.labelBaseUrl.replace(/\/$/, '')}/${labelId}.pdf`, optionId: input.optionId };
      labels.set(idempotencyKey, { fingerprint, label, orderId: input.orderId });
      byTracking.set(trackingNumber, { label, orderId: input.orderId });
      labelsCreated++;
      return { ok: true, label: { ...label } };
    },

    parseTrackingWebhook(rawBody, signatureHeader): TrackingWebhookOutcome {
      const verified = verifyWebhookSignature(rawBody, signatureHeader, options.webhookSecret, { now, toleranceSeconds: options.webhookToleranceSeconds });
      if (!verified.ok) return verified;
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString());
      } catch {
        return { ok: false, error: { code: 'SHIPPING.WEBHOOK_MALFORMED_PAYLOAD', message: 'The body is not JSON' } };
      }
      const parsed = trackingEventSchema.safeParse(json);
      if (!parsed.success) return { ok: false, error: { code: 'SHIPPING.WEBHOOK_MALFORMED_PAYLOAD', message: 'The body is not a tracking event' } };
      const { id, data } = parsed.data;
      return { ok: true, event: { eventId: id, orderId: data.order_id, trackingNumber: data.tracking_number, status: data.status, occurredAt: data.occurred_at } };
    },

    advance(trackingNumber, status) {
      const known = byTracking.get(trackingNumber);
      if (!known) throw new Error(`No label with tracking number ${trackingNumber}`);
      const created = Math.floor(now() / 1000);
      const payload = JSON.stringify({
        id: `trk_evt_${randomUUID().replaceAll('-', '')}`,
        type: 'tracking.updated',
        data: { tracking_number: trackingNumber, order_id: known.orderId, status, occurred_at: new Date(now()).toISOString() },
      });
      const webhook = { payload, signatureHeader: signWebhookPayload(payload, options.webhookSecret, created) };
      if (options.deliver) void options.deliver(webhook).catch((error: unknown) => options.onDeliveryError?.(error));
      return webhook;
    },
  };
  return carrier;
}
