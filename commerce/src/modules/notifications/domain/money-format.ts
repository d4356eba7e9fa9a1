/**
 * Formats integer minor units with the currency's own number of decimals (EUR 2, JPY 0,
 * KWD 3), so 1999 EUR is €19.99 and 1999 JPY is ¥1,999.
 *
 * @example formatMoney(1999, 'EUR', 'en-GB') // '€19.99'
 */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-GB'): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amountMinor must be an integer, got ${amountMinor}`);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}
