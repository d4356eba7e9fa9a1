import { describe, expect, it } from 'vitest';
import { minorUnitDigits, taxOn } from '../../src/modules/pricing/index.ts';

const VAT20 = [{ name: 'VAT 20%', rateBp: 2000 }];

/** The rounding rule of docs/adr/0065, by example. */
describe('tax per line in minor units, half up', () => {
  it('tax-exclusive: round(net × rate); 7.25% of 27.00 is 1.9575 → 1.96', () => {
    expect(taxOn(2700, [{ name: 'Sales tax 7.25%', rateBp: 725 }], false)).toEqual([{ name: 'Sales tax 7.25%', rateBp: 725, amountMinor: 196 }]);
    expect(taxOn(1, VAT20, false)).toEqual([{ name: 'VAT 20%', rateBp: 2000, amountMinor: 0 }]); // 0.2 → 0
    expect(taxOn(3, VAT20, false)[0]!.amountMinor).toBe(1); // 0.6 → 1
    expect(taxOn(25, VAT20, false)[0]!.amountMinor).toBe(5);
  });

  it('tax-inclusive: the part of the price that is tax, round(net × rate / (1 + rate)); 12.00 at 20% holds 2.00', () => {
    expect(taxOn(1200, VAT20, true)[0]!.amountMinor).toBe(200);
    expect(taxOn(1999, [{ name: 'VAT 19%', rateBp: 1900 }], true)[0]!.amountMinor).toBe(319); // 319.17
    expect(taxOn(2000, [{ name: 'Consumption tax 10%', rateBp: 1000 }], true)[0]!.amountMinor).toBe(182); // ¥181.8
  });

  it('exactly half rounds up: 2.50 of tax on 12.50 at 20%… and 0.5 of a minor unit becomes 1', () => {
    expect(taxOn(1250, VAT20, false)[0]!.amountMinor).toBe(250);
    expect(taxOn(5, [{ name: 'T', rateBp: 1000 }], false)[0]!.amountMinor).toBe(1); // 0.5 → 1
  });

  it('several rates: the rounded total is split so the lines add up to it', () => {
    const lines = taxOn(999, [{ name: 'State', rateBp: 600 }, { name: 'County', rateBp: 125 }], false);
    expect(lines.reduce((a, l) => a + l.amountMinor, 0)).toBe(72); // 999 × 7.25% = 72.43
    expect(lines.map((l) => l.amountMinor)).toEqual([60, 12]);
  });

  it('no rate, a zero rate or a zero amount: no tax lines', () => {
    expect(taxOn(1000, [], false)).toEqual([]);
    expect(taxOn(1000, [{ name: 'VAT 0%', rateBp: 0 }], true)).toEqual([]);
    expect(taxOn(0, VAT20, false)).toEqual([]);
  });

  it('currency exponents come from ISO 4217 (JPY 0, EUR 2, KWD 3)', () => {
    expect([minorUnitDigits('JPY'), minorUnitDigits('EUR'), minorUnitDigits('USD'), minorUnitDigits('KWD')]).toEqual([0, 2, 2, 3]);
  });
});
