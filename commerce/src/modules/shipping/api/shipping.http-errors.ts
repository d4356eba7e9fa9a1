import { HttpError } from '@shop/platform';
import type { ShippingError, ShippingErrorCode } from '../domain/shipping.errors.ts';

const STATUS: Record<ShippingErrorCode, number> = {
  'SHIPPING.INVALID_PARCEL': 400,
  'SHIPPING.PARCEL_TOO_HEAVY': 422,
  'SHIPPING.UNSUPPORTED_DESTINATION': 422,
  'SHIPPING.UNSUPPORTED_CURRENCY': 422,
  'SHIPPING.UNKNOWN_OPTION': 422,
  // Webhooks: a 4xx tells the carrier we refused it; a forged or replayed one gets no detail beyond the code.
  'SHIPPING.WEBHOOK_MALFORMED_HEADER': 400,
  'SHIPPING.WEBHOOK_SIGNATURE_MISMATCH': 400,
  'SHIPPING.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE': 400,
  'SHIPPING.WEBHOOK_MALFORMED_PAYLOAD': 400,
  'SHIPPING.SHIPMENT_NOT_FOUND': 404,
  'SHIPPING.SANDBOX_UNAVAILABLE': 409,
  'SHIPPING.ILLEGAL_TRANSITION': 409,
};

/** The one mapping from shipping failures to HTTP. */
export function toHttpError(error: ShippingError): HttpError {
  return new HttpError(STATUS[error.code], error.code, error.message);
}
