import { describe, expect, it } from 'vitest';
import { formatMoney, localeFrom } from './money.ts';

describe('prices', () => {
  it("are written in the shop's currency the visitor's way", () => {
    expect(formatMoney(1999, 'EUR', 'en')).toBe('€19.99');
    expect(formatMoney(1999, 'EUR', 'fr-FR')).toMatch(/^19,99\s€$/);
    expect(formatMoney(123456, 'EUR', 'de-DE')).toMatch(/^1\.234,56\s€$/);
  });

  it('use each currency its own decimals: yen have none, dinars three', () => {
    expect(formatMoney(2000, 'JPY', 'en')).toBe('¥2,000');
    expect(formatMoney(1350, 'USD', 'en-US')).toBe('$13.50');
    expect(formatMoney(1999, 'KWD', 'en')).toMatch(/1\.999/);
  });

  it('take the first usable language of Accept-Language, else English', () => {
    expect(localeFrom('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr-CH');
    expect(localeFrom('*;q=0.5, de')).toBe('de');
    expect(localeFrom('')).toBe('en');
    expect(localeFrom('<script>')).toBe('en');
  });
});
