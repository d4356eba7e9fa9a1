import { describe, expect, it } from 'vitest';
import { taxBreakdown } from './invoice-source.ts';

const line = (unitPriceMinor: number, quantity: number, discountMinor: number, taxLines: Array<{ name: string; rateBp: number; amountMinor: number }>) => ({
  variantId: '00000000-0000-4000-8000-000000000001',
  productId: '00000000-0000-4000-8000-000000000002',
  sku: 'S',
  name: 'N',
  quantity,
  unitPriceMinor,
  weightGrams: 1,
  taxClass: 'standard',
  discountMinor,
  taxMinor: taxLines.reduce((s, t) => s + t.amountMinor, 0),
  taxLines,
});

describe('the tax breakdown an invoice shows', () => {
  it('groups lines and shipping by tax and rate; the base is net of discounts and, prices including tax, of the tax', () => {
    const rows = taxBreakdown({
      taxInclusive: true,
      lines: [line(1200, 2, 400, [{ name: 'VAT 20%', rateBp: 2000, amountMinor: 333 }]), line(1055, 1, 0, [{ name: 'VAT 5.5%', rateBp: 550, amountMinor: 55 }])],
      shippingMinor: 600,
      shippingDiscountMinor: 0,
      shippingTaxLines: [{ name: 'VAT 20%', rateBp: 2000, amountMinor: 100 }],
    });
    expect(rows).toEqual([
      { name: 'VAT 20%', rateBps: 2000, taxableMinor: 2000 - 333 + 500, taxMinor: 433 },
      { name: 'VAT 5.5%', rateBps: 550, taxableMinor: 1000, taxMinor: 55 },
    ]);
  });

  it('adds nothing for an order priced without taxes, and keeps the net as the base when tax is added on top', () => {
    expect(taxBreakdown({ taxInclusive: false, lines: [line(1000, 1, 0, [])], shippingMinor: 500, shippingDiscountMinor: 500, shippingTaxLines: [] })).toEqual([]);
    expect(taxBreakdown({ taxInclusive: false, lines: [line(1000, 1, 100, [{ name: 'Sales tax', rateBp: 800, amountMinor: 72 }])], shippingMinor: 0, shippingDiscountMinor: 0, shippingTaxLines: [] })).toEqual([
      { name: 'Sales tax', rateBps: 800, taxableMinor: 900, taxMinor: 72 },
    ]);
  });
});
