/** Every expected shipping failure, with a stable code. The api layer alone maps codes to HTTP. */
export type ShippingErrorCode =
  | 'SHIPPING.UNKNOWN_OPTION'
  | 'SHIPPING.UNSUPPORTED_DESTINATION'
  | 'SHIPPING.PARCEL_TOO_HEAVY'
  | 'SHIPPING.INVALID_PARCEL'
  | 'SHIPPING.UNSUPPORTED_CURRENCY'
  | 'SHIPPING.SHIPMENT_NOT_FOUND'
  | 'SHIPPING.SANDBOX_UNAVAILABLE'
  | 'SHIPPING.ILLEGAL_TRANSITION'
  | 'SHIPPING.WEBHOOK_MALFORMED_HEADER'
  | 'SHIPPING.WEBHOOK_SIGNATURE_MISMATCH'
  | 'SHIPPING.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE'
  | 'SHIPPING.WEBHOOK_MALFORMED_PAYLOAD';

export interface ShippingError {
  code: ShippingErrorCode;
  message: string;
}

/** Thrown: the same idempotency key with other parameters is a bug in the caller's key derivation. */
export class LabelIdempotencyKeyReusedError extends Error {
  readonly code = 'SHIPPING.IDEMPOTENCY_KEY_REUSED';
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${idempotencyKey} was already used to buy a different label`);
    this.name = 'LabelIdempotencyKeyReusedError';
  }
}
