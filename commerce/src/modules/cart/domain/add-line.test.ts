import { describe, expect, it } from 'vitest';
import { addLine } from './add-line.ts';
import { emptyCart, type Cart } from './cart.ts';
import type { VariantOffer } from './variant-offer.ts';

const limits = { maxLines: 2, maxQuantity: 10 };
const offer = (variantId: string, changes: Partial<VariantOffer> = {}): VariantOffer => ({
  variantId,
  productName: 'Mug',
  sku: `SKU-${variantId}`,
  priceMinor: 500,
  currency: 'EUR',
  available: 8,
  purchasable: true,
  ...changes,
});
const value = (result: ReturnType<typeof addLine>): Cart => {
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
};
const code = (result: ReturnType<typeof addLine>) => (result.ok ? 'ok' : result.error.code);

describe('addLine', () => {
  it('adds a line at the current price and sums into it later, keeping the first price', () => {
    const once = value(addLine(emptyCart(), 'a', 2, offer('a'), limits));
    const twice = value(addLine(once, 'a', 3, offer('a', { priceMinor: 900 }), limits));
    expect(twice.lines).toEqual([{ variantId: 'a', quantity: 5, unitPriceMinor: 500, currency: 'EUR', productName: 'Mug', sku: 'SKU-a' }]);
  });

  it('refuses unknown and unpurchasable variants', () => {
    expect(code(addLine(emptyCart(), 'a', 1, undefined, limits))).toBe('CART.VARIANT_NOT_FOUND');
    expect(code(addLine(emptyCart(), 'a', 1, offer('a', { purchasable: false }), limits))).toBe('CART.VARIANT_UNAVAILABLE');
  });

  it('refuses more than the stock, naming what is available', () => {
    const cart = value(addLine(emptyCart(), 'a', 6, offer('a'), limits));
    const result = addLine(cart, 'a', 3, offer('a'), limits);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'CART.INSUFFICIENT_STOCK', available: 8 }) });
  });

  it('holds each line to maxQuantity and the cart to maxLines', () => {
    const big = offer('a', { available: 100 });
    expect(code(addLine(value(addLine(emptyCart(), 'a', 10, big, limits)), 'a', 1, big, limits))).toBe('CART.QUANTITY_LIMIT');
    const full = value(addLine(value(addLine(emptyCart(), 'a', 1, offer('a'), limits)), 'b', 1, offer('b'), limits));
    expect(code(addLine(full, 'c', 1, offer('c'), limits))).toBe('CART.LINE_LIMIT');
    expect(code(addLine(full, 'a', 1, offer('a'), limits))).toBe('ok');
  });

  it('refuses a second currency', () => {
    const cart = value(addLine(emptyCart(), 'a', 1, offer('a'), limits));
    expect(code(addLine(cart, 'b', 1, offer('b', { currency: 'USD' }), limits))).toBe('CART.CURRENCY_MISMATCH');
  });
});
