/** The shipping module's entry: its factory, its API and the sandbox carrier (its events are in `src/events/shipping.events.ts`). */
export { createShippingModule, type QuoteResult, type ShippingApi, type ShippingModuleDeps } from './shipping.module.ts';
export type { QuoteRequest, ShipmentView, ShippingQuoteOption } from './application/shipping.dto.ts';
export type { ShippingError, ShippingErrorCode } from './domain/shipping.errors.ts';
export type { ShippingProvider } from './application/ports/shipping-provider.port.ts';
export type { RateTable } from './domain/shipping-rates.ts';
export { createSandboxCarrier, type SandboxCarrier, type SandboxCarrierOptions } from './infrastructure/sandbox.carrier.ts';
export { shippingMigrations } from './infrastructure/shipping.migrations.ts';
