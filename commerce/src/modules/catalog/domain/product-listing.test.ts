import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, PRODUCT_SORTS, type ProductCursor } from './product-listing.ts';

const keyFor = {
  newest: fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  price_asc: fc.integer({ min: -1, max: 2 ** 40 }),
  price_desc: fc.integer({ min: -1, max: 2 ** 40 }),
  name: fc.string({ maxLength: 50 }).filter((s) => !s.includes('\u0000')),
  // JSON has no -0; ranks are never negative anyway.
  relevance: fc.float({ noNaN: true, noDefaultInfinity: true }).map((f) => (f === 0 ? 0 : f)),
};
const cursorArb: fc.Arbitrary<ProductCursor> = fc
  .constantFrom(...PRODUCT_SORTS)
  .chain((sort) => fc.record({ sort: fc.constant(sort), key: keyFor[sort] as fc.Arbitrary<string | number>, id: fc.uuid() }));

describe('product listing cursor', () => {
  it('decodes what it encoded, for every sort', () => {
    fc.assert(
      fc.property(cursorArb, (cursor) => {
        const decoded = decodeCursor(encodeCursor(cursor), cursor.sort);
        expect(decoded).toEqual({ ok: true, value: cursor });
      }),
    );
  });

  it('refuses a cursor issued for another sort', () => {
    fc.assert(
      fc.property(cursorArb, fc.constantFrom(...PRODUCT_SORTS), (cursor, other) => {
        fc.pre(other !== cursor.sort);
        expect(decodeCursor(encodeCursor(cursor), other).ok).toBe(false);
      }),
    );
  });

  it('refuses anything that is not a cursor, without throwing', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...PRODUCT_SORTS), (raw, sort) => {
        const decoded = decodeCursor(raw, sort);
        if (!decoded.ok) expect(decoded.error.code).toBe('CATALOG.INVALID_CURSOR');
      }),
    );
    const forged = Buffer.from(JSON.stringify(['price_asc', '1; drop table x', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expect(decodeCursor(forged, 'price_asc').ok).toBe(false);
    const badId = Buffer.from(JSON.stringify(['price_asc', 5, "x' or 1=1"])).toString('base64url');
    expect(decodeCursor(badId, 'price_asc').ok).toBe(false);
  });
});
