/** The shipping module's only entry: its factory, its API, its events and the sandbox carrier. */
export { createShippingModule, type QuoteResult, type ShippingApi, type ShippingModuleDeps } from './shipping.module.ts';
export { LabelPurchased, ShipmentStatusChanged } from './shipping.events.ts';
export type { QuoteRequest, ShipmentView, ShippingQuoteOption } from './application/shipping.dto.ts';
export type { ShippingError, ShippingErrorCode } from './domain/shipping.errors.ts';
export type { ShippingProvider } from './domain/shipping-provider.port.ts';
export type { RateTable } from './domain/shipping-rates.ts';
export { createSandboxCarrier, type SandboxCarrier, type SandboxCarrierOptions } from './infrastructure/sandbox.carrier.ts';
export { shippingMigrations } from './infrastructure/shipping.migrations.ts';
