// The orders module has no public index.ts yet; switch to `../../orders/index.ts` once it exports these.
export { OrderCancelled, OrderCreated, OrderPaid } from '../../orders/orders.events.ts';
