import Stripe from 'stripe';
import type {
  AuthorizeOutcome,
  CaptureOutcome,
  CreatePaymentIntentInput,
  PaymentGateway,
  RefundInput,
  RefundOutcome,
  VoidOutcome,
  RetrieveOutcome,
  Unreachable,
} from '../application/ports/payment-gateway.port.ts';
import { IdempotencyKeyReusedError } from '../domain/payments.errors.ts';
import { parsePaymentWebhook } from './payment-webhook.parser.ts';
import { findTestCard } from './sandbox-test-cards.ts';
import { declineCodeToError, toIntentView } from './stripe-intent.mapper.ts';

export interface StripeGatewayOptions {
  apiKey: string;
  /** The endpoint's signing secret (`whsec_...`). */
  webhookSecret: string;
  /** Another API base, e.g. a local fake (`http://127.0.0.1:12111`). Default: Stripe's API. */
  baseUrl?: string;
  /** Per request; past it the outcome is `timeout`. Default 20 s. */
  timeoutMs?: number;
  /**
   * The SDK's own retries (same idempotency key). Default 0: the event bus already retries
   * with backoff, and stacking two retry loops multiplies the wait.
   */
  maxNetworkRetries?: number;
  webhookToleranceSeconds?: number;
  now?: () => number;
}

/**
 * The production adapter over Stripe PaymentIntents with manual capture. Authorization is two
 * calls, create then confirm, each with a key derived from the caller's, so the intent exists
 * (and carries `metadata.order_id` for webhooks) before the card is touched.
 */
export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const base = options.baseUrl ? new URL(options.baseUrl) : undefined;
  const stripe = new Stripe(options.apiKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'http:' ? ('http' as const) : ('https' as const),
        }
      : {}),
  });

  const gateway: PaymentGateway = {
    async createPaymentIntent(input: CreatePaymentIntentInput): Promise<AuthorizeOutcome> {
      const paymentMethod = toStripePaymentMethod(input.paymentMethod);
      if (!paymentMethod) {
        // Raw card numbers never go to Stripe: only tokens (or the test cards they stand for).
        return { status: 'declined', code: 'PAYMENTS.INVALID_PAYMENT_METHOD', declineCode: 'invalid_payment_method', message: 'Not a payment method token' };
      }
      try {
        const created = await stripe.paymentIntents.create(
          {
            amount: input.amountMinor,
            currency: input.currency.toLowerCase(),
            payment_method: paymentMethod,
            capture_method: 'manual',
            metadata: { order_id: input.orderId },
          },
          { idempotencyKey: input.idempotencyKey },
        );
        const confirmed = await stripe.paymentIntents.confirm(created.id, {}, { idempotencyKey: `${input.idempotencyKey}:confirm` });
        const intent = toIntentView(confirmed);
        if (intent.state === 'requires_confirmation') return { status: 'requires_confirmation', intent };
        if (intent.state === 'authorized' || intent.state === 'captured') return { status: 'authorized', intent };
        throw new Error(`Unexpected PaymentIntent status after confirm: ${confirmed.status}`);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError && error.code !== 'processing_error') {
          const code = declineCodeToError(error.code, error.decline_code);
          const intentId = error.payment_intent?.id;
          const base = { message: error.message, ...(intentId ? { intentId } : {}) };
          return code === 'PAYMENTS.INSUFFICIENT_FUNDS'
            ? { status: 'insufficient_funds', code, ...base }
            : { status: 'declined', code: 'PAYMENTS.CARD_DECLINED', declineCode: error.decline_code ?? error.code ?? 'card_declined', ...base };
        }
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param === 'payment_method') {
          return { status: 'declined', code: 'PAYMENTS.INVALID_PAYMENT_METHOD', declineCode: error.code ?? 'invalid_payment_method', message: error.message };
        }
        return unreachableOrThrow(error, input.idempotencyKey);
      }
    },

    async capture(intentId: string, idempotencyKey: string): Promise<CaptureOutcome> {
      try {
        const captured = await stripe.paymentIntents.capture(intentId, {}, { idempotencyKey });
        return { status: 'captured', intent: toIntentView(captured), alreadyCaptured: false };
      } catch (error) {
        if (isMissing(error)) return { status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND', message: `No intent ${intentId}` } };
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state') {
          // Another capture (the webhook's or the client's) may have won the race: that is success, not failure.
          const current = await gateway.retrieve(intentId);
          if (current.status === 'found' && current.intent.state === 'captured') return { status: 'captured', intent: current.intent, alreadyCaptured: true };
          if (current.status === 'timeout' || current.status === 'unavailable') return current;
          return { status: 'refused', error: { code: 'PAYMENTS.NOT_CAPTURABLE', message: error.message } };
        }
        return unreachableOrThrow(error, idempotencyKey);
      }
    },

    async voidAuthorization(intentId: string, idempotencyKey: string): Promise<VoidOutcome> {
      try {
        const canceled = await stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey });
        return { status: 'voided', intent: toIntentView(canceled), alreadyVoided: false };
      } catch (error) {
        if (isMissing(error)) return { status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND', message: `No intent ${intentId}` } };
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state') {
          const current = await gateway.retrieve(intentId);
          if (current.status === 'found' && current.intent.state === 'canceled') return { status: 'voided', intent: current.intent, alreadyVoided: true };
          if (current.status === 'timeout' || current.status === 'unavailable') return current;
          return { status: 'refused', error: { code: 'PAYMENTS.NOT_VOIDABLE', message: error.message } };
        }
        return unreachableOrThrow(error, idempotencyKey);
      }
    },

    async refund(input: RefundInput): Promise<RefundOutcome> {
      try {
        const refund = await stripe.refunds.create({ payment_intent: input.intentId, amount: input.amountMinor }, { idempotencyKey: input.idempotencyKey });
        return { status: 'refunded', refund: { refundId: refund.id, intentId: input.intentId, amountMinor: refund.amount, currency: refund.currency.toUpperCase() } };
      } catch (error) {
        if (isMissing(error)) return { status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND', message: `No intent ${input.intentId}` } };
        if (error instanceof Stripe.errors.StripeInvalidRequestError) {
          if (error.code === 'amount_too_large' || error.code === 'charge_already_refunded') {
            return { status: 'refused', error: { code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED', message: error.message } };
          }
          if (error.code === 'payment_intent_unexpected_state' || error.code === 'charge_not_refundable') {
            return { status: 'refused', error: { code: 'PAYMENTS.NOT_CAPTURED', message: error.message } };
          }
        }
        return unreachableOrThrow(error, input.idempotencyKey);
      }
    },

    async retrieve(intentId: string): Promise<RetrieveOutcome> {
      try {
        return { status: 'found', intent: toIntentView(await stripe.paymentIntents.retrieve(intentId)) };
      } catch (error) {
        if (isMissing(error)) return { status: 'not_found' };
        return unreachableOrThrow(error, undefined);
      }
    },

    parseWebhook(rawBody, signatureHeader) {
      return parsePaymentWebhook(rawBody, signatureHeader, options.webhookSecret, {
        now: options.now,
        toleranceSeconds: options.webhookToleranceSeconds,
      });
    },
  };
  return gateway;
}

/** Tokens pass through; a known test card number becomes Stripe's test token for it. */
function toStripePaymentMethod(paymentMethod: string): string | undefined {
  if (paymentMethod.startsWith('pm_')) return paymentMethod;
  return findTestCard(paymentMethod)?.stripeToken;
}

const isMissing = (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing' && error.param !== 'payment_method';

/** Retryable trouble becomes a value; everything else (auth, bad requests) is a bug or misconfiguration and throws. */
function unreachableOrThrow(error: unknown, idempotencyKey: string | undefined): Unreachable {
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    if (error.statusCode === 409) return { status: 'unavailable', code: 'PAYMENTS.GATEWAY_UNAVAILABLE', retryable: true, message: error.message };
    throw new IdempotencyKeyReusedError(idempotencyKey ?? '');
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const timedOut = error.message.includes('timeout') || (error.detail as { code?: string } | undefined)?.code === 'ETIMEDOUT';
    return timedOut
      ? { status: 'timeout', code: 'PAYMENTS.GATEWAY_TIMEOUT', retryable: true, message: error.message }
      : { status: 'unavailable', code: 'PAYMENTS.GATEWAY_UNAVAILABLE', retryable: true, message: error.message };
  }
  if (error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) {
    return { status: 'unavailable', code: 'PAYMENTS.GATEWAY_UNAVAILABLE', retryable: true, message: error.message };
  }
  if (error instanceof Stripe.errors.StripeCardError && error.code === 'processing_error') {
    return { status: 'unavailable', code: 'PAYMENTS.GATEWAY_UNAVAILABLE', retryable: true, message: error.message };
  }
  throw error;
}
