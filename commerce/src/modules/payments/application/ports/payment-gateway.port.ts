import type { PaymentsError, PaymentsErrorCode } from '../../domain/payments.errors.ts';

/**
 * The payment provider as the payments use cases see it. Adapters: `createSandboxGateway`
 * (embedded default, in memory) and `createStripeGateway` (Stripe's official SDK). Both pass
 * `commerce/test/payments/payment-gateway.contract.ts`.
 *
 * Money is integer minor units with an ISO 4217 currency code in upper case (`EUR`).
 *
 * Every mutating call takes an idempotency key: the same key replays the first outcome (same
 * intent, never a second charge); the same key with other parameters throws
 * `IdempotencyKeyReusedError` (a bug in the caller's key derivation). Derive keys from the
 * business identity, e.g. `authorize:${orderId}`, `capture:${orderId}`, `refund:${refundRequestId}`.
 *
 * Expected failures (declines) and retryable infrastructure trouble (timeouts, 5xx) are
 * returned as values; only bugs throw. A `timeout` may or may not have reached the provider:
 * retry with the SAME key, which is exactly what makes the retry safe.
 *
 * @example
 * const r = await gateway.createPaymentIntent({ orderId, amountMinor: 1999, currency: 'EUR',
 *   paymentMethod: '4242424242424242', idempotencyKey: `authorize:${orderId}` });
 * switch (r.status) {
 *   case 'authorized': await gateway.capture(r.intent.intentId, `capture:${orderId}`); break;
 *   case 'requires_confirmation': break; // the webhook (or the client's return) will tell
 *   case 'declined': case 'insufficient_funds': publish PaymentFailed(r.code); break;
 *   case 'timeout': case 'unavailable': throw to let the event bus retry with backoff;
 * }
 */
export interface PaymentGateway {
  /** Creates the intent and asks for authorization (funds held, not yet captured). */
  createPaymentIntent(input: CreatePaymentIntentInput): Promise<AuthorizeOutcome>;
  /**
   * Captures an authorized intent. Capturing one already captured reports `captured` with
   * `alreadyCaptured`. Like every outcome, a `refused` one is replayed for the same key, so use
   * the capture key only once the payment is authorized (the `capture` effect of `payment.ts`).
   */
  capture(intentId: string, idempotencyKey: string): Promise<CaptureOutcome>;
  /**
   * Releases an authorization that was never captured (Stripe: cancels the PaymentIntent).
   * Voiding one already voided reports `voided` with `alreadyVoided`; a captured one is refused.
   */
  voidAuthorization(intentId: string, idempotencyKey: string): Promise<VoidOutcome>;
  /** Refunds part or all of a captured intent. */
  refund(input: RefundInput): Promise<RefundOutcome>;
  /** The provider's current view of an intent, e.g. when the shopper returns from authentication. */
  retrieve(intentId: string): Promise<RetrieveOutcome>;
  /**
   * Verifies a webhook's signature (with replay protection) and maps it to a gateway event.
   * Pass the raw request body, byte for byte: re-serialized JSON does not verify.
   */
  parseWebhook(rawBody: string | Buffer, signatureHeader: string | undefined): WebhookOutcome;
}

export interface CreatePaymentIntentInput {
  orderId: string;
  amountMinor: number;
  currency: string;
  /** A provider token (Stripe `pm_...`) or, with test adapters, a test card number (see `sandbox-test-cards.ts`). */
  paymentMethod: string;
  idempotencyKey: string;
}

export interface RefundInput {
  intentId: string;
  amountMinor: number;
  idempotencyKey: string;
}

/** Where the provider says an intent is. `requires_confirmation`: waiting for the shopper (e.g. 3-D Secure). */
export type IntentState = 'requires_confirmation' | 'authorized' | 'captured' | 'failed' | 'canceled';

export interface PaymentIntentView {
  intentId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  state: IntentState;
  amountCapturedMinor: number;
  /** Why the last attempt failed, when it did. */
  failureCode?: PaymentsErrorCode;
}

/** The provider could not be reached in time or answered 5xx/429. Retry with the same idempotency key. */
export type Unreachable =
  | { status: 'timeout'; code: 'PAYMENTS.GATEWAY_TIMEOUT'; retryable: true; message: string }
  | { status: 'unavailable'; code: 'PAYMENTS.GATEWAY_UNAVAILABLE'; retryable: true; message: string };

export type AuthorizeOutcome =
  | { status: 'authorized'; intent: PaymentIntentView }
  | { status: 'requires_confirmation'; intent: PaymentIntentView }
  | { status: 'declined'; code: 'PAYMENTS.CARD_DECLINED' | 'PAYMENTS.INVALID_PAYMENT_METHOD'; declineCode: string; intentId?: string; message: string }
  | { status: 'insufficient_funds'; code: 'PAYMENTS.INSUFFICIENT_FUNDS'; intentId?: string; message: string }
  | Unreachable;

export type CaptureOutcome =
  | { status: 'captured'; intent: PaymentIntentView; alreadyCaptured: boolean }
  | { status: 'refused'; error: PaymentsError & { code: 'PAYMENTS.NOT_CAPTURABLE' | 'PAYMENTS.INTENT_NOT_FOUND' } }
  | Unreachable;

export type VoidOutcome =
  | { status: 'voided'; intent: PaymentIntentView; alreadyVoided: boolean }
  | { status: 'refused'; error: PaymentsError & { code: 'PAYMENTS.NOT_VOIDABLE' | 'PAYMENTS.INTENT_NOT_FOUND' } }
  | Unreachable;

export interface RefundView {
  refundId: string;
  intentId: string;
  amountMinor: number;
  currency: string;
}

export type RefundOutcome =
  | { status: 'refunded'; refund: RefundView }
  | {
      status: 'refused';
      error: PaymentsError & { code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED' | 'PAYMENTS.NOT_CAPTURED' | 'PAYMENTS.INTENT_NOT_FOUND' };
    }
  | Unreachable;

export type RetrieveOutcome = { status: 'found'; intent: PaymentIntentView } | { status: 'not_found' } | Unreachable;

/** What a verified webhook means for us; anything else the provider sends is `ignored`. */
export type GatewayEvent =
  | { type: 'payment.authorized' | 'payment.captured' | 'payment.canceled'; eventId: string; intent: PaymentIntentView }
  | { type: 'payment.failed'; eventId: string; intent: PaymentIntentView; code: PaymentsErrorCode }
  | { type: 'ignored'; eventId: string; providerType: string };

export type WebhookOutcome = { ok: true; event: GatewayEvent } | { ok: false; error: PaymentsError };

/** A webhook as it goes over the wire: the exact body and its `Stripe-Signature` header value. */
export interface SignedWebhook {
  payload: string;
  signatureHeader: string;
}
