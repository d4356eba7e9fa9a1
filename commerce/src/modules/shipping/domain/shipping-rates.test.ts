import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateOptions, type RateTable } from './shipping-rates.ts';

const table: RateTable = { currency: 'EUR', standardFlatMinor: 490, expressBaseMinor: 990, expressPer500gMinor: 150, freeStandardFromMinor: 5_000, maxWeightGrams: 30_000 };
const price = (weightGrams: number, subtotal = 1_000) => {
  const r = rateOptions({ weightGrams }, subtotal, table);
  if (!r.ok) throw new Error(r.error.code);
  return Object.fromEntries(r.options.map((o) => [o.optionId, o.amountMinor]));
};

describe('shipping rates', () => {
  it('charges standard flat and express per started 500 g', () => {
    expect(price(1)).toEqual({ standard: 490, express: 990 + 150 });
    expect(price(500)).toEqual({ standard: 490, express: 990 + 150 });
    expect(price(501)).toEqual({ standard: 490, express: 990 + 300 });
    expect(price(30_000)).toEqual({ standard: 490, express: 990 + 60 * 150 });
  });

  it('makes standard free from the threshold on, never express', () => {
    expect(price(800, 4_999).standard).toBe(490);
    expect(price(800, 5_000)).toEqual({ standard: 0, express: 990 + 300 });
    expect(rateOptions({ weightGrams: 800 }, 1_000_000, { ...table, freeStandardFromMinor: undefined })).toMatchObject({ ok: true, options: [{ amountMinor: 490 }, {}] });
  });

  it('refuses empty, fractional and too heavy parcels with stable codes', () => {
    expect(rateOptions({ weightGrams: 0 }, 0, table)).toMatchObject({ ok: false, error: { code: 'SHIPPING.INVALID_PARCEL' } });
    expect(rateOptions({ weightGrams: 1.5 }, 0, table)).toMatchObject({ ok: false, error: { code: 'SHIPPING.INVALID_PARCEL' } });
    expect(rateOptions({ weightGrams: 30_001 }, 0, table)).toMatchObject({ ok: false, error: { code: 'SHIPPING.PARCEL_TOO_HEAVY' } });
  });

  it('express is an integer, never decreases with weight, and rises exactly at each started 500 g', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 29_999 }), (w) => {
        const a = price(w).express!;
        const b = price(w + 1).express!;
        expect(Number.isInteger(a)).toBe(true);
        expect(b - a).toBe(w % 500 === 0 ? 150 : 0);
      }),
    );
  });
});
