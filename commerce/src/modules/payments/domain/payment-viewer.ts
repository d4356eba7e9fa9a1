/** Payments answers the shopper with the order's own reading rule, shared with the other order documents. */
export { mayView, type OrderViewer as PaymentViewer } from '../../../shared/http/order-viewer.ts';
