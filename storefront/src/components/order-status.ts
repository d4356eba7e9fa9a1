import { html, type Html } from '../server/html.ts';

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

/** A step list the order page's script updates in place (it shares these class names). */
export function statusTracker(status: string): Html {
  const reached = ORDER_STEPS.findIndex(([s]) => s === status);
  return html`<ol class="tracker" data-tracker>${ORDER_STEPS.map(
    ([s, label], i) => html`<li data-step="${s}" class="${reached >= 0 && i <= reached ? 'done' : ''} ${i === reached ? 'current' : ''}" ${i === reached ? html`aria-current="step"` : ''}>${label}</li>`,
  )}</ol>`;
}
