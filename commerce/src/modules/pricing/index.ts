/** The pricing module's entry: regions, prices per currency and taxes. */
export { createPricingModule, REGION_COOKIE, type PricingApi, type PricingModuleDeps } from './pricing.module.ts';
export type { PricedItem } from './application/price-offers.ts';
export type { TaxDestination, TaxProvider } from './application/ports/tax-provider.port.ts';
export type { TaxQuote, TaxQuoteError, TaxQuoteRequest } from './application/quote-taxes.ts';
export { builtInTaxProvider } from './infrastructure/built-in.tax-provider.ts';
export { databaseTaxProvider } from './infrastructure/database.tax-provider.ts';
export { taxOn, type TaxLine, type TaxRate } from './domain/tax.ts';
export { minorUnitDigits } from './domain/currency.ts';
export type { Region } from './domain/region.ts';
export { pricingMigrations } from './infrastructure/pricing.migrations.ts';
