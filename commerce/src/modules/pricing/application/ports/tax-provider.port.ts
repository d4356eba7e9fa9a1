import type { TaxRate } from '../../domain/tax.ts';

export interface TaxDestination {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  /** A state or province code (CA for California), upper case; null when the address has none. */
  subdivision: string | null;
}

/**
 * Where tax rates come from. The built-in table is the embedded default; the `pricing.tax_rates`
 * table (edited by an operator) is the other adapter; an external tax service would be a third.
 * Contract (tax-provider.contract.ts): one answer per class asked, unknown destinations and the
 * `zero` class get no rates, a subdivision falls back to its country, rates are whole basis points.
 */
export interface TaxProvider {
  readonly name: string;
  ratesFor(destination: TaxDestination, taxClasses: readonly string[]): Promise<Map<string, TaxRate[]>>;
}
