import type { Sql } from '../../../shared/database/index.ts';
import type { TaxProvider } from '../application/ports/tax-provider.port.ts';
import { ratesFromTable } from '../domain/built-in-tax-rates.ts';

/**
 * Rates an operator keeps in `pricing.tax_rates` (key: `FR` or `US-CA`), read per checkout: a
 * change applies to the next order without a deploy. Same contract as the built-in table.
 */
export function databaseTaxProvider(sql: Sql): TaxProvider {
  return {
    name: 'database',
    async ratesFor({ country, subdivision }, taxClasses) {
      const keys = subdivision ? [country, `${country}-${subdivision}`] : [country];
      const { rows } = await sql.query<{ region_key: string; tax_class: string; rate_bp: number }>(
        'select region_key, tax_class, rate_bp from pricing.tax_rates where region_key = any($1)',
        [keys],
      );
      const table: Record<string, Record<string, number>> = {};
      for (const r of rows) (table[r.region_key] ??= {})[r.tax_class] = r.rate_bp;
      return new Map(taxClasses.map((c) => [c, ratesFromTable(table, country, subdivision, c)]));
    },
  };
}
