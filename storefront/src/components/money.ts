import { BoundedMemo } from './bounded-memo.ts';

const formats = new Map<string, Intl.NumberFormat>();
// Every page writes prices and reads Accept-Language; both answers repeat, and Intl is slow to ask.
const written = new BoundedMemo<string>(20_000);
const locales = new BoundedMemo<string>(1_000);

/** A price in the shop's currency, written the visitor's way (`€19.99`, `19,99 €`). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return written.get(`${locale}|${currency}|${minor}`, () => {
    const key = `${locale}|${currency}`;
    let format = formats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      formats.set(key, format);
    }
    return format.format(minor / 100);
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
