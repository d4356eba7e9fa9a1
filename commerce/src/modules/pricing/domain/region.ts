/**
 * A region groups countries that share a currency and a way of showing prices: tax-inclusive
 * (EU-style: the shelf price contains VAT) or tax-exclusive (US-style: tax is added at checkout).
 * One region per currency (docs/adr/0067): the currency names the price list.
 */
export interface Region {
  id: string;
  name: string;
  currency: string;
  /** ISO 3166-1 alpha-2, upper case. */
  countries: string[];
  taxInclusive: boolean;
  /**
   * Where prices with no explicit entry in this currency come from: a variant priced in
   * `fxFrom` is converted at `fxRateMicros` (millionths of this currency's major unit per
   * major unit of `fxFrom`) and rounded to this currency's minor unit. null: explicit prices only.
   */
  fxFrom: string | null;
  fxRateMicros: number | null;
}
