// The order events Order Completed is built from, through the orders module's public entry.
export { OrderCancelled, OrderCreated, OrderPaid } from '../../orders/index.ts';
