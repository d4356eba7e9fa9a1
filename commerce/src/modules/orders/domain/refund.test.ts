import { describe, expect, it } from 'vitest';
import type { Order } from './order.ts';
import { planRefund, type Refund } from './refund.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const line = (variantId: string, quantity: number, unitPriceMinor: number) => ({
  variantId,
  productId: variantId,
  sku: `SKU-${variantId.slice(-1)}`,
  name: variantId,
  quantity,
  unitPriceMinor,
  weightGrams: 100,
  taxClass: 'standard',
  discountMinor: 0,
  taxMinor: 0,
  taxLines: [],
});

function order(over: Partial<Order> = {}): Order {
  const lines = [line(A, 3, 1000), line(B, 1, 2500)];
  return {
    id: 'o',
    orderNumber: 'SO-1',
    status: 'fulfilled',
    userId: null,
    email: 'a@b.c',
    currency: 'EUR',
    subtotalMinor: 5500,
    shippingMinor: 490,
    totalMinor: 5990,
    lines,
    shippingAddress: { name: 'A', line1: 'l', city: 'c', postalCode: 'p', country: 'FR' },
    shippingOption: { id: 'standard', name: 'Standard', priceMinor: 490 },
    paidMinor: 5990,
    cancelReason: null,
    accessTokenHash: null,
    regionId: null,
    taxInclusive: false,
    discountMinor: 0,
    shippingDiscountMinor: 0,
    shippingTaxMinor: 0,
    shippingTaxLines: [],
    taxMinor: 0,
    promotions: [],
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...over,
  };
}

const done = (amountMinor: number, lines: Refund['lines'] = [], shipping = false): Refund => ({
  id: `r${amountMinor}`,
  orderId: 'o',
  amountMinor,
  currency: 'EUR',
  lines,
  shipping,
  reason: 'x',
  status: 'refunded',
  requestedBy: 'admin',
  createdAt: new Date(0),
  refundedAt: new Date(0),
});

describe('planRefund', () => {
  it('prices chosen units at their unit price, shipping on request', () => {
    const r = planRefund(order(), [], { kind: 'lines', lines: [{ variantId: A, quantity: 2 }], shipping: true });
    expect(r).toEqual({ ok: true, value: { amountMinor: 2 * 1000 + 490, lines: [{ variantId: A, quantity: 2 }], shipping: true } });
  });

  it('refuses units already refunded, naming how many are left', () => {
    const r = planRefund(order(), [done(2000, [{ variantId: A, quantity: 2 }])], { kind: 'lines', lines: [{ variantId: A, quantity: 2 }], shipping: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'ORDERS.REFUND_LINE_INVALID', refundableQuantity: 1 });
  });

  it('refuses an amount above what is left of the capture', () => {
    const r = planRefund(order(), [done(5000)], { kind: 'amount', amountMinor: 991 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'ORDERS.REFUND_EXCEEDS_CAPTURED', refundableMinor: 990 });
    expect(planRefund(order(), [done(5000)], { kind: 'amount', amountMinor: 990 }).ok).toBe(true);
  });

  it('a full refund after partial ones takes exactly the remainder: the refunds add up to the capture', () => {
    const first = done(1000 + 490, [{ variantId: A, quantity: 1 }], true);
    const r = planRefund(order(), [first], { kind: 'full' });
    expect(r).toEqual({ ok: true, value: { amountMinor: 5990 - 1490, lines: [{ variantId: A, quantity: 2 }, { variantId: B, quantity: 1 }], shipping: false } });
    const after = planRefund(order(), [first, done(4500)], { kind: 'full' });
    expect(after.ok).toBe(false);
  });

  it('scales line amounts by captured/total when the capture was smaller than the total, never over the capture', () => {
    const short = order({ paidMinor: 2995 }); // half the total was captured
    const r = planRefund(short, [], { kind: 'lines', lines: [{ variantId: A, quantity: 3 }, { variantId: B, quantity: 1 }], shipping: true });
    expect(r.ok && r.value.amountMinor).toBe(2995);
    const one = planRefund(short, [], { kind: 'lines', lines: [{ variantId: A, quantity: 1 }], shipping: false });
    expect(one.ok && one.value.amountMinor).toBe(500);
  });

  it('refuses shipping twice and lines the order does not have', () => {
    expect(planRefund(order(), [done(490, [], true)], { kind: 'lines', lines: [], shipping: true }).ok).toBe(false);
    const unknown = planRefund(order(), [], { kind: 'lines', lines: [{ variantId: '00000000-0000-4000-8000-00000000000c', quantity: 1 }], shipping: false });
    expect(!unknown.ok && unknown.error.code).toBe('ORDERS.REFUND_LINE_INVALID');
  });

  it('a discounted line refunds its discounted amount, prorated per unit; all units in steps give back exactly what was paid', () => {
    // 3 × 10.00 with 10% off spread to the line (3.00) and tax-exclusive tax of 2.70 on 27.00.
    const discounted = order({
      lines: [{ ...line(A, 3, 1000), discountMinor: 300, taxMinor: 540, taxLines: [{ name: 'VAT 20%', rateBp: 2000, amountMinor: 540 }] }],
      subtotalMinor: 3000,
      discountMinor: 300,
      taxMinor: 540,
      shippingMinor: 0,
      totalMinor: 3240,
      paidMinor: 3240,
    });
    const one = planRefund(discounted, [], { kind: 'lines', lines: [{ variantId: A, quantity: 1 }], shipping: false });
    expect(one.ok && one.value.amountMinor).toBe(1080); // (3000 − 300 + 540) / 3
    const first = done(1080, [{ variantId: A, quantity: 1 }]);
    const two = planRefund(discounted, [first], { kind: 'lines', lines: [{ variantId: A, quantity: 2 }], shipping: false });
    expect(two.ok && two.value.amountMinor).toBe(2160);
  });

  it('odd cents: units refunded one by one add up to the line exactly (cumulative flooring)', () => {
    const odd = order({ lines: [{ ...line(A, 3, 1000), discountMinor: 1 }], subtotalMinor: 3000, discountMinor: 1, shippingMinor: 0, totalMinor: 2999, paidMinor: 2999 });
    const refunds: Refund[] = [];
    for (let i = 0; i < 3; i++) {
      const r = planRefund(odd, refunds, { kind: 'lines', lines: [{ variantId: A, quantity: 1 }], shipping: false });
      if (!r.ok) throw new Error(r.error.message);
      refunds.push(done(r.value.amountMinor, r.value.lines));
    }
    expect(refunds.map((r) => r.amountMinor)).toEqual([999, 1000, 1000]);
  });

  it('free shipping refunds nothing for shipping; tax-inclusive orders refund no tax on top', () => {
    const free = order({ shippingDiscountMinor: 490, discountMinor: 490, totalMinor: 5500, paidMinor: 5500, taxInclusive: true, taxMinor: 917 });
    const r = planRefund(free, [], { kind: 'lines', lines: [{ variantId: B, quantity: 1 }], shipping: true });
    expect(r.ok && r.value.amountMinor).toBe(2500);
  });
});
