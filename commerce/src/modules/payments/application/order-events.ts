// The orders module's public events, the only thing payments knows of orders.
// TODO(coordinator): switch to '../../orders/index.ts' once orders has its index.
export { OrderCancelled, OrderCreated } from '../../orders/orders.events.ts';
