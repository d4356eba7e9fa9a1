import { BoundedMemo } from './bounded-memo.ts';

const formats = new Map<string, { format: Intl.NumberFormat; digits: number }>();
// Every page writes prices and reads Accept-Language; both answers repeat, and Intl is slow to ask.
const written = new BoundedMemo<string>(20_000);
const locales = new BoundedMemo<string>(1_000);

/**
 * A price in minor units written the visitor's way (`€19.99`, `19,99 €`, `¥2,000`): the number of
 * decimals is the currency's own (ISO 4217: JPY 0, EUR 2, KWD 3), as Intl knows it.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return written.get(`${locale}|${currency}|${minor}`, () => {
    const key = `${locale}|${currency}`;
    let entry = formats.get(key);
    if (!entry) {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      entry = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
      formats.set(key, entry);
    }
    return entry.format.format(minor / 10 ** entry.digits);
  });
}

/** The visitor's first supported language from Accept-Language, else English. */
export function localeFrom(acceptLanguage: string | undefined): string {
  const header = (acceptLanguage ?? '').slice(0, 500);
  return locales.get(header, () => {
    for (const part of header.split(',')) {
      const tag = part.split(';')[0]!.trim();
      if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) continue;
      try {
        if (Intl.NumberFormat.supportedLocalesOf([tag]).length > 0) return tag;
      } catch {
        // not a well-formed tag
      }
    }
    return 'en';
  });
}
