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
