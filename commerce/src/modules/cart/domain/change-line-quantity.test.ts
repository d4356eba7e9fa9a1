import { describe, expect, it } from 'vitest';
import type { Cart } from './cart.ts';
import { changeLineQuantity } from './change-line-quantity.ts';
import type { VariantOffer } from './variant-offer.ts';

const limits = { maxLines: 5, maxQuantity: 10 };
const cart: Cart = {
  lines: [{ variantId: 'a', quantity: 6, unitPriceMinor: 100, currency: 'EUR', productName: 'Mug', sku: 'A' }],
  mergedGuestTokens: [],
};
const offer = (available: number, purchasable = true): VariantOffer => ({
  variantId: 'a',
  productName: 'Mug',
  sku: 'A',
  priceMinor: 100,
  currency: 'EUR',
  available,
  purchasable,
});
const outcome = (result: ReturnType<typeof changeLineQuantity>) =>
  result.ok ? result.value.lines.map((l) => l.quantity) : result.error.code;

describe('changeLineQuantity', () => {
  it('lets a shopper lower a quantity even when stock fell short or the variant vanished', () => {
    expect(outcome(changeLineQuantity(cart, 'a', 4, offer(2), limits))).toEqual([4]);
    expect(outcome(changeLineQuantity(cart, 'a', 4, undefined, limits))).toEqual([4]);
  });

  it('checks an increase against stock, purchasability and maxQuantity', () => {
    expect(outcome(changeLineQuantity(cart, 'a', 8, offer(8), limits))).toEqual([8]);
    expect(outcome(changeLineQuantity(cart, 'a', 8, offer(7), limits))).toBe('CART.INSUFFICIENT_STOCK');
    expect(outcome(changeLineQuantity(cart, 'a', 8, offer(50, false), limits))).toBe('CART.VARIANT_UNAVAILABLE');
    expect(outcome(changeLineQuantity(cart, 'a', 11, offer(50), limits))).toBe('CART.QUANTITY_LIMIT');
  });

  it('removes the line at 0 and refuses a line that is not in the cart', () => {
    expect(outcome(changeLineQuantity(cart, 'a', 0, undefined, limits))).toEqual([]);
    expect(outcome(changeLineQuantity(cart, 'b', 1, offer(5), limits))).toBe('CART.LINE_NOT_FOUND');
  });
});
