import { z } from 'zod';
import type { GatewayEvent, WebhookOutcome } from '../application/ports/payment-gateway.port.ts';
import { stripeIntentSchema, toIntentView } from './stripe-intent.mapper.ts';
import { webhookVerifier, type VerifyOptions } from '../../../shared/webhooks/index.ts';

/** The shared signature check (`shared/webhooks`), failing under the payments module's codes. */
export const verifyWebhookSignature = webhookVerifier({
  malformed_header: 'PAYMENTS.WEBHOOK_MALFORMED_HEADER',
  signature_mismatch: 'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH',
  timestamp_out_of_tolerance: 'PAYMENTS.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
});

const eventSchema = z.object({
  id: z.string(),
  type: z.string(),
  data: z.object({ object: z.unknown() }),
});

/**
 * Verifies, then maps a Stripe-shaped event (`payment_intent.*`) to a `GatewayEvent`. The
 * handler should record `eventId` in its inbox: providers deliver at least once.
 */
export function parsePaymentWebhook(
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  secret: string,
  options: VerifyOptions = {},
): WebhookOutcome {
  const verified = verifyWebhookSignature(rawBody, signatureHeader, secret, options);
  if (!verified.ok) return verified;
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString());
  } catch {
    return malformed('The body is not JSON');
  }
  const event = eventSchema.safeParse(json);
  if (!event.success) return malformed('The body is not an event');
  const { id: eventId, type } = event.data;
  const ignored: GatewayEvent = { type: 'ignored', eventId, providerType: type };
  if (!type.startsWith('payment_intent.')) return { ok: true, event: ignored };
  const object = stripeIntentSchema.safeParse(event.data.data.object);
  if (!object.success) return malformed('The event does not carry a payment intent');
  let intent;
  try {
    intent = toIntentView(object.data);
  } catch {
    // e.g. a status this code does not know yet: refuse it visibly rather than crash the endpoint.
    return malformed(`Unrecognised payment intent status ${object.data.status}`);
  }
  switch (type) {
    case 'payment_intent.amount_capturable_updated':
      return { ok: true, event: { type: 'payment.authorized', eventId, intent } };
    case 'payment_intent.succeeded':
      return { ok: true, event: { type: 'payment.captured', eventId, intent } };
    case 'payment_intent.canceled':
      return { ok: true, event: { type: 'payment.canceled', eventId, intent } };
    case 'payment_intent.payment_failed':
      return { ok: true, event: { type: 'payment.failed', eventId, intent, code: intent.failureCode ?? 'PAYMENTS.CARD_DECLINED' } };
    default:
      return { ok: true, event: ignored };
  }
}

const malformed = (message: string): WebhookOutcome => ({ ok: false, error: { code: 'PAYMENTS.WEBHOOK_MALFORMED_PAYLOAD', message } });
