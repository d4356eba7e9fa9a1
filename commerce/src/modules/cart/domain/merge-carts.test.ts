import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyCart, type Cart, type CartLine } from './cart.ts';
import { mergeCarts } from './merge-carts.ts';

const limits = { maxLines: 4, maxQuantity: 10 };
const line = (variantId: string, quantity: number, currency = 'EUR'): CartLine => ({
  variantId,
  quantity,
  unitPriceMinor: 100,
  currency,
  productName: variantId,
  sku: variantId,
});
const cartOf = (...lines: CartLine[]): Cart => ({ lines, mergedGuestTokens: [] });

describe('mergeCarts', () => {
  it('sums quantities of the same variant, capped at maxQuantity, and adds new lines', () => {
    const { cart, merged } = mergeCarts(cartOf(line('a', 7)), cartOf(line('a', 6), line('b', 2)), 'h1', limits);
    expect(cart.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
    expect(merged).toEqual(['a', 'b']);
  });

  it('drops lines beyond maxLines and lines in another currency', () => {
    const user = cartOf(line('a', 1), line('b', 1), line('c', 1));
    const { cart, dropped } = mergeCarts(user, cartOf(line('usd', 1, 'USD'), line('d', 1), line('e', 1)), 'h1', limits);
    expect(cart.lines.map((l) => l.variantId)).toEqual(['a', 'b', 'c', 'd']);
    expect(dropped).toEqual(['usd', 'e']);
  });

  it('merging the same guest cart again changes nothing', () => {
    const first = mergeCarts(cartOf(line('a', 1)), cartOf(line('a', 2)), 'h1', limits).cart;
    expect(mergeCarts(first, cartOf(line('a', 2)), 'h1', limits).cart).toEqual(first);
  });

  it('always respects the limits and never loses a variant silently', () => {
    // Both carts draw from the same few ids so overlaps (summed lines) are common.
    const lines = () =>
      fc.uniqueArray(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), q: fc.integer({ min: 1, max: 10 }) }), {
        selector: (l) => l.id,
        maxLength: 4,
      }).map((ls) => cartOf(...ls.map((l) => line(l.id, l.q))));
    fc.assert(
      fc.property(lines(), lines(), (user, guest) => {
        const { cart, merged, dropped } = mergeCarts(user, guest, 'h', limits);
        expect(cart.lines.length).toBeLessThanOrEqual(Math.max(limits.maxLines, user.lines.length));
        expect(cart.lines.every((l) => l.quantity >= 1 && l.quantity <= limits.maxQuantity)).toBe(true);
        expect([...merged, ...dropped].sort()).toEqual(guest.lines.map((l) => l.variantId).sort());
        for (const id of merged) expect(cart.lines.some((l) => l.variantId === id)).toBe(true);
      }),
    );
  });

  it('starts an empty user cart from the guest lines', () => {
    expect(mergeCarts(emptyCart(), cartOf(line('a', 3)), 'h', limits).cart.lines).toEqual([line('a', 3)]);
  });
});
