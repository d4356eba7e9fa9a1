/** Words for the order's statuses, shared by the server's pages and the live order island. */

/** The order's happy path as the shopper follows it; the API's status names, in order. */
export const ORDER_STEPS: readonly [string, string][] = [
  ['pending_payment', 'Placed'],
  ['paid', 'Paid'],
  ['fulfilled', 'Packed'],
  ['shipped', 'Shipped'],
  ['delivered', 'Delivered'],
];

export const STATUS_TEXT: Record<string, string> = {
  pending_payment: 'Waiting for payment',
  paid: 'Paid',
  fulfilled: 'Packed, label printed',
  shipped: 'On its way',
  delivered: 'Delivered',
  payment_failed: 'Payment failed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

const FAILURES: Record<string, string> = {
  'PAYMENTS.CARD_DECLINED': 'Your card was declined.',
  'PAYMENTS.INSUFFICIENT_FUNDS': 'Your card has insufficient funds.',
  'PAYMENTS.INVALID_PAYMENT_METHOD': 'That card number is not one the sandbox accepts.',
  'PAYMENTS.GATEWAY_TIMEOUT': 'The payment provider did not answer in time.',
};

/** Why a payment failed, in the shopper's words, from the API's failure code. */
export function paymentFailureText(failureCode: string | null | undefined): string {
  return `${(failureCode && FAILURES[failureCode]) ?? 'Your payment did not go through.'} Nothing was charged.`;
}
