import type { OrderStatus } from './order-status.ts';

/** Every expected failure of the orders module, with a stable code; the api layer picks the HTTP status. */
export type OrdersError =
  | { code: 'ORDERS.NOT_FOUND'; message: string }
  | { code: 'ORDERS.OUT_OF_STOCK'; sku: string; variantId: string; available: number; message: string }
  | { code: 'ORDERS.ILLEGAL_TRANSITION'; from: OrderStatus; to: OrderStatus; message: string }
  | { code: 'ORDERS.IDEMPOTENCY_KEY_REUSED'; message: string }
  | { code: 'ORDERS.EMAIL_REQUIRED'; message: string }
  | { code: 'ORDERS.SHIPPING_OPTION_UNKNOWN'; offered: string[]; message: string }
  | { code: 'ORDERS.SHIPPING_UNAVAILABLE'; reason: string; message: string }
  | { code: 'ORDERS.INVALID_CURSOR'; message: string }
  | { code: 'ORDERS.NOT_REFUNDABLE'; status: OrderStatus; message: string }
  | { code: 'ORDERS.REFUND_EXCEEDS_CAPTURED'; refundableMinor: number; message: string }
  | { code: 'ORDERS.REFUND_LINE_INVALID'; variantId?: string; refundableQuantity?: number; message: string }
  | { code: 'ORDERS.NOT_RETURNABLE'; message: string }
  | { code: 'ORDERS.RETURN_LINE_INVALID'; variantId?: string; returnableQuantity?: number; message: string }
  | { code: 'ORDERS.RETURN_NOT_FOUND'; message: string }
  | { code: 'ORDERS.RETURN_STEP_INVALID'; status: string; message: string }
  | { code: 'ORDERS.REGION_MISMATCH'; message: string }
  | { code: 'ORDERS.PROMOTION_INVALID'; promotionCode: string; reason: string; message: string }
  | { code: 'ORDERS.PROMOTION_UNAVAILABLE'; promotionCode: string | null; reason: string; message: string }
  | { code: 'CART.EMPTY'; message: string }
  | { code: 'CART.HAS_ISSUES'; issues: unknown[]; message: string };

export type OrdersErrorCode = OrdersError['code'];
