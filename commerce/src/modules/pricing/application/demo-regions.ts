import type { Region } from '../domain/region.ts';

/**
 * The demo shop's regions: Europe in EUR with VAT included in prices (the catalog's own
 * currency), the United States in USD with sales tax added at checkout, Japan in JPY (no minor
 * unit) with consumption tax included. USD and JPY prices are converted from EUR unless a
 * variant has an explicit price.
 */
export const DEMO_REGIONS: readonly Region[] = [
  {
    id: 'eu',
    name: 'Europe',
    currency: 'EUR',
    countries: ['AT', 'BE', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'IE', 'IT', 'LU', 'NL', 'PL', 'PT', 'SE'],
    taxInclusive: true,
    fxFrom: null,
    fxRateMicros: null,
  },
  { id: 'us', name: 'United States', currency: 'USD', countries: ['US'], taxInclusive: false, fxFrom: 'EUR', fxRateMicros: 1_080_000 },
  { id: 'jp', name: 'Japan', currency: 'JPY', countries: ['JP'], taxInclusive: true, fxFrom: 'EUR', fxRateMicros: 160_000_000 },
];
