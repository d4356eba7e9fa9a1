// The orders module's public events, the only thing payments knows of orders.
export { OrderCancelled, OrderCreated } from '../../orders/index.ts';
