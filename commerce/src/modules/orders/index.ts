/**
 * The orders module's entry: its factory, ports and API. Its events are published separately in
 * `src/events/orders.events.ts`, so a subscriber never loads the module to read them.
 */
export { createOrdersModule, type CustomerOrderSummary, type OrdersApi, type OrdersConfig, type OrdersModuleDeps } from './orders.module.ts';
export type {
  CustomerDirectory,
  ShippingQuoteOption,
  ShippingQuoteRequest,
  ShippingQuoteResult,
  ShippingQuotes,
} from './application/ports/orders.ports.ts';
export type { OrderActivity, OrderEmailView, OrderPaymentView, OrderShipmentView } from './application/ports/order-activity.port.ts';
export type { InvoiceOrder, InvoiceOrderLine, InvoiceRefund, InvoiceTaxLine } from './application/invoice-source.ts';
export type { OrderStatus } from './domain/order-status.ts';
export { ordersMigrations } from './infrastructure/orders.migrations.ts';
