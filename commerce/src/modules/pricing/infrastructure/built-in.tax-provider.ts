import type { TaxProvider } from '../application/ports/tax-provider.port.ts';
import { BUILT_IN_RATES, ratesFromTable } from '../domain/built-in-tax-rates.ts';

/** The embedded default: the rates table compiled into the shop, no I/O. */
export const builtInTaxProvider: TaxProvider = {
  name: 'built-in',
  async ratesFor({ country, subdivision }, taxClasses) {
    return new Map(taxClasses.map((c) => [c, ratesFromTable(BUILT_IN_RATES, country, subdivision, c)]));
  },
};
