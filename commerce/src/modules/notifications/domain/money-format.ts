/**
 * Formats integer minor units with the currency's own number of decimals (EUR 2, JPY 0,
 * KWD 3), so 1999 EUR is €19.99 and 1999 JPY is ¥1,999.
 *
 * @example formatMoney(1999, 'EUR', 'en-GB') // '€19.99'
 */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-GB'): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amountMinor must be an integer, got ${amountMinor}`);
  const { format, digits } = formatterFor(locale, currency);
  return format.format(amountMinor / 10 ** digits);
}

// Building an Intl.NumberFormat costs far more than using one; an email formats a dozen amounts.
const formatters = new Map<string, { format: Intl.NumberFormat; digits: number }>();

function formatterFor(locale: string, currency: string): { format: Intl.NumberFormat; digits: number } {
  const key = `${locale}\u0000${currency}`;
  let cached = formatters.get(key);
  if (!cached) {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    cached = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    // Locale and currency come from configuration and orders: few, but not trusted to stay few.
    if (formatters.size >= 256) formatters.clear();
    formatters.set(key, cached);
  }
  return cached;
}
