/** The orders module's only entry: its factory, its ports, its API and its events. */
export { createOrdersModule, type OrdersApi, type OrdersConfig, type OrdersModuleDeps } from './orders.module.ts';
export type {
  CustomerDirectory,
  ShippingQuoteOption,
  ShippingQuoteRequest,
  ShippingQuoteResult,
  ShippingQuotes,
} from './application/orders.ports.ts';
export type { OrderStatus } from './domain/order-status.ts';
export { OrderCancelled, OrderCreated, OrderPaid, addressSchema, orderLineSchema } from './orders.events.ts';
