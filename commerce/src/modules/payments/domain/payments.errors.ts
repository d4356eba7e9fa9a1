/**
 * Every expected payment failure, with a stable code callers may branch on and publish
 * (e.g. as the reason of `PaymentFailed`). The api layer alone maps codes to HTTP statuses.
 */
export type PaymentsErrorCode =
  | 'PAYMENTS.CARD_DECLINED'
  | 'PAYMENTS.INSUFFICIENT_FUNDS'
  | 'PAYMENTS.INVALID_PAYMENT_METHOD'
  | 'PAYMENTS.GATEWAY_TIMEOUT'
  | 'PAYMENTS.GATEWAY_UNAVAILABLE'
  | 'PAYMENTS.INTENT_NOT_FOUND'
  | 'PAYMENTS.PAYMENT_NOT_FOUND'
  | 'PAYMENTS.NOT_CAPTURABLE'
  | 'PAYMENTS.NOT_VOIDABLE'
  | 'PAYMENTS.NOT_CAPTURED'
  | 'PAYMENTS.REFUND_EXCEEDS_CAPTURED'
  | 'PAYMENTS.PAYMENT_FAILED'
  | 'PAYMENTS.INVALID_TRANSITION'
  | 'PAYMENTS.WEBHOOK_MALFORMED_HEADER'
  | 'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH'
  | 'PAYMENTS.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE'
  | 'PAYMENTS.WEBHOOK_MALFORMED_PAYLOAD';

export interface PaymentsError {
  code: PaymentsErrorCode;
  message: string;
}

export const paymentsError = (code: PaymentsErrorCode, message: string): PaymentsError => ({ code, message });

/**
 * Thrown, not returned: one idempotency key reused with different parameters is a bug in
 * the caller's key derivation, never a customer-facing outcome. Retrying cannot fix it.
 */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'PAYMENTS.IDEMPOTENCY_KEY_REUSED';
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${idempotencyKey} was already used with different parameters`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
