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
});
