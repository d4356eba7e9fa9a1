import { paymentsError, type PaymentsError, type PaymentsErrorCode } from './payments.errors.ts';

/**
 * One order's payment as a pure state machine. Facts arrive from several places at once (the
 * gateway's answer, the shopper's return from authentication, webhooks, retried events), in
 * any order and more than once. Each fact moves the payment forward at most once; a repeated
 * or overtaken fact is `already`, so the caller skips its side effects. That is what turns the
 * client/webhook race into exactly one capture.
 *
 *   initiated ─┬─> requires_confirmation ─┬─> authorized ──> captured ──> partially_refunded ──> refunded
 *              │                          │                    ^  └──────────────────────────────^
 *              └──────────────────────────┴─> failed           (a capture may report before its authorization)
 *                                         └────────────┴─> voided  (the order was cancelled before the capture)
 */
export type PaymentState =
  | 'initiated'
  | 'requires_confirmation'
  | 'authorized'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'failed'
  | 'voided';

export interface Payment {
  orderId: string;
  amountMinor: number;
  currency: string;
  state: PaymentState;
  intentId?: string;
  capturedMinor: number;
  refundedMinor: number;
  /** Refunds already counted, so a redelivered refund is not counted twice. */
  refundIds: readonly string[];
  failureCode?: PaymentsErrorCode;
}

export type PaymentEvent =
  | { type: 'confirmation_required'; intentId: string }
  | { type: 'authorized'; intentId: string }
  | { type: 'captured'; intentId: string; amountMinor: number }
  | { type: 'failed'; code: PaymentsErrorCode }
  /** The gateway released the authorization (the order was cancelled before any capture). */
  | { type: 'voided' }
  | { type: 'refunded'; refundId: string; amountMinor: number };

/** What the caller must do because the payment moved; never emitted by an `already`. */
export type PaymentEffect = 'capture' | 'publish_completed' | 'publish_failed' | 'publish_refunded';

export type PaymentTransition =
  | { outcome: 'moved'; payment: Payment; effects: PaymentEffect[] }
  | { outcome: 'already'; payment: Payment }
  | { outcome: 'refused'; payment: Payment; error: PaymentsError };

/** Forward order of the happy path; a fact for a rank already reached is stale. */
const RANK: Record<Exclude<PaymentState, 'failed' | 'voided'>, number> = {
  initiated: 0,
  requires_confirmation: 1,
  authorized: 2,
  captured: 3,
  partially_refunded: 4,
  refunded: 5,
};

export function initiatePayment(input: { orderId: string; amountMinor: number; currency: string }): Payment {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
    throw new RangeError(`amountMinor must be a positive integer, got ${input.amountMinor}`);
  }
  return { ...input, state: 'initiated', capturedMinor: 0, refundedMinor: 0, refundIds: [] };
}

const moved = (payment: Payment, effects: PaymentEffect[] = []): PaymentTransition => ({ outcome: 'moved', payment, effects });
const already = (payment: Payment): PaymentTransition => ({ outcome: 'already', payment });
const refused = (payment: Payment, code: PaymentsErrorCode, message: string): PaymentTransition => ({
  outcome: 'refused',
  payment,
  error: paymentsError(code, message),
});

/**
 * Applies one fact.
 *
 * @example
 * const t = applyPaymentEvent(payment, { type: 'authorized', intentId });
 * if (t.outcome === 'moved' && t.effects.includes('capture')) await gateway.capture(intentId, `capture:${orderId}`);
 * // a second 'authorized' (the webhook after the client) returns 'already': nothing to do
 */
export function applyPaymentEvent(payment: Payment, event: PaymentEvent): PaymentTransition {
  const failed = payment.state === 'failed';
  const rank = failed ? -1 : RANK[payment.state as Exclude<PaymentState, 'failed' | 'voided'>];
  // Once the gateway named the payment's intent, a fact about any other intent is not about this payment.
  if ('intentId' in event && payment.intentId !== undefined && event.intentId !== payment.intentId) {
    return refused(payment, 'PAYMENTS.INVALID_TRANSITION', `Intent ${event.intentId} is not this payment's (${payment.intentId})`);
  }
  if (payment.state === 'voided') {
    if (event.type === 'voided' || event.type === 'failed') return already(payment);
    return refused(payment, 'PAYMENTS.INVALID_TRANSITION', 'The authorization was voided');
  }
  switch (event.type) {
    case 'voided':
      if (payment.state !== 'requires_confirmation' && payment.state !== 'authorized') {
        return refused(payment, 'PAYMENTS.NOT_VOIDABLE', `A ${payment.state} payment has no authorization to void`);
      }
      return moved({ ...payment, state: 'voided' });
    case 'confirmation_required':
      if (failed || rank >= RANK.requires_confirmation) return already(payment);
      return moved({ ...payment, state: 'requires_confirmation', intentId: event.intentId });
    case 'authorized':
      if (failed) return refused(payment, 'PAYMENTS.PAYMENT_FAILED', 'The payment already failed');
      if (rank >= RANK.authorized) return already(payment);
      return moved({ ...payment, state: 'authorized', intentId: event.intentId }, ['capture']);
    case 'captured':
      if (failed) return refused(payment, 'PAYMENTS.PAYMENT_FAILED', 'The payment already failed');
      if (rank >= RANK.captured) return already(payment);
      if (event.amountMinor !== payment.amountMinor) {
        return refused(payment, 'PAYMENTS.INVALID_TRANSITION', `Captured ${event.amountMinor}, expected ${payment.amountMinor}`);
      }
      return moved({ ...payment, state: 'captured', intentId: event.intentId, capturedMinor: event.amountMinor }, ['publish_completed']);
    case 'failed':
      if (failed) return already(payment);
      if (rank >= RANK.authorized) {
        return refused(payment, 'PAYMENTS.INVALID_TRANSITION', `A ${payment.state} payment cannot fail`);
      }
      return moved({ ...payment, state: 'failed', failureCode: event.code }, ['publish_failed']);
    case 'refunded': {
      if (payment.refundIds.includes(event.refundId)) return already(payment);
      const check = checkRefund(payment, event.amountMinor);
      if (check) return { outcome: 'refused', payment, error: check };
      const refundedMinor = payment.refundedMinor + event.amountMinor;
      return moved(
        {
          ...payment,
          state: refundedMinor === payment.capturedMinor ? 'refunded' : 'partially_refunded',
          refundedMinor,
          refundIds: [...payment.refundIds, event.refundId],
        },
        ['publish_refunded'],
      );
    }
  }
}

/** Whether a refund of this amount may be requested now; null when it may. Check before calling the gateway. */
export function checkRefund(payment: Payment, amountMinor: number): PaymentsError | null {
  if (payment.state !== 'captured' && payment.state !== 'partially_refunded' && payment.state !== 'refunded') {
    return paymentsError('PAYMENTS.NOT_CAPTURED', `A ${payment.state} payment has nothing to refund`);
  }
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    return paymentsError('PAYMENTS.INVALID_TRANSITION', 'A refund amount must be a positive integer');
  }
  if (payment.refundedMinor + amountMinor > payment.capturedMinor) {
    return paymentsError(
      'PAYMENTS.REFUND_EXCEEDS_CAPTURED',
      `Refunding ${amountMinor} would exceed the ${payment.capturedMinor - payment.refundedMinor} still refundable`,
    );
  }
  return null;
}
