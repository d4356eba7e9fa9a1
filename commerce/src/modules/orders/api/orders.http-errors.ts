import { HttpError } from '@shop/platform';
import type { OrdersError, OrdersErrorCode } from '../domain/orders.errors.ts';
import type { Result } from '@shop/platform/result';

/** The one place that decides what each orders failure means in HTTP. */
const STATUS: Record<OrdersErrorCode, number> = {
  'ORDERS.NOT_FOUND': 404,
  'ORDERS.OUT_OF_STOCK': 409,
  'ORDERS.ILLEGAL_TRANSITION': 409,
  'ORDERS.IDEMPOTENCY_KEY_REUSED': 422,
  'ORDERS.EMAIL_REQUIRED': 400,
  'ORDERS.SHIPPING_OPTION_UNKNOWN': 400,
  'ORDERS.SHIPPING_UNAVAILABLE': 409,
  'ORDERS.INVALID_CURSOR': 400,
  'ORDERS.NOT_REFUNDABLE': 409,
  'ORDERS.REFUND_EXCEEDS_CAPTURED': 422,
  'ORDERS.REFUND_LINE_INVALID': 422,
  'ORDERS.NOT_RETURNABLE': 409,
  'ORDERS.RETURN_LINE_INVALID': 422,
  'ORDERS.RETURN_NOT_FOUND': 404,
  'ORDERS.RETURN_STEP_INVALID': 409,
  'ORDERS.REGION_MISMATCH': 400,
  'ORDERS.PROMOTION_INVALID': 422,
  'ORDERS.PROMOTION_UNAVAILABLE': 409,
  'CART.EMPTY': 409,
  'CART.HAS_ISSUES': 409,
};

export function toHttpError(error: OrdersError): HttpError {
  const { code, message, ...details } = error;
  return new HttpError(STATUS[code], code, message, Object.keys(details).length > 0 ? details : undefined);
}

export function unwrap<T>(result: Result<T, OrdersError>): T {
  if (!result.ok) throw toHttpError(result.error);
  return result.value;
}
