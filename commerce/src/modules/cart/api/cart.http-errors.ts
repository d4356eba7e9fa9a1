import { HttpError } from '@shop/platform';
import type { CartError, CartErrorCode } from '../domain/cart.errors.ts';

const STATUS: Record<CartErrorCode, number> = {
  'CART.VARIANT_NOT_FOUND': 404,
  'CART.LINE_NOT_FOUND': 404,
  'CART.VARIANT_UNAVAILABLE': 409,
  'CART.INSUFFICIENT_STOCK': 409,
  'CART.QUANTITY_LIMIT': 409,
  'CART.LINE_LIMIT': 409,
  'CART.CURRENCY_MISMATCH': 409,
};

/** The one mapping from cart failures to HTTP: status by code, the failure's facts as details. */
export function toHttpError(error: CartError): HttpError {
  const { code, message, ...details } = error;
  return new HttpError(STATUS[code], code, message, details);
}
