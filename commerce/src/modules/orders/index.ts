/**
 * The orders module's only entry: its events (first, so a module that imports them back from
 * here mid-way through an import cycle finds them initialised), its factory, ports and API.
 */
export { OrderCancelled, OrderCreated, OrderPaid, addressSchema, orderLineSchema } from './orders.events.ts';
export { createOrdersModule, type OrdersApi, type OrdersConfig, type OrdersModuleDeps } from './orders.module.ts';
export type {
  CustomerDirectory,
  ShippingQuoteOption,
  ShippingQuoteRequest,
  ShippingQuoteResult,
  ShippingQuotes,
} from './application/orders.ports.ts';
export type { OrderStatus } from './domain/order-status.ts';
export { ordersMigrations } from './infrastructure/orders.migrations.ts';
