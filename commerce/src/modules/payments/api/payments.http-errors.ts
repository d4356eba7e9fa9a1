import { HttpError } from '@shop/platform';
import type { PaymentsError, PaymentsErrorCode } from '../domain/payments.errors.ts';

const STATUS: Partial<Record<PaymentsErrorCode, number>> = {
  'PAYMENTS.PAYMENT_NOT_FOUND': 404,
  'PAYMENTS.INTENT_NOT_FOUND': 404,
  'PAYMENTS.GATEWAY_TIMEOUT': 503,
  'PAYMENTS.GATEWAY_UNAVAILABLE': 503,
  'PAYMENTS.WEBHOOK_MALFORMED_HEADER': 400,
  'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH': 400,
  'PAYMENTS.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE': 400,
  'PAYMENTS.WEBHOOK_MALFORMED_PAYLOAD': 400,
};

/** The one mapping from payments failures to HTTP; anything not listed is a conflict with the payment's state. */
export function toHttpError(error: PaymentsError): HttpError {
  return new HttpError(STATUS[error.code] ?? 409, error.code, error.message);
}
