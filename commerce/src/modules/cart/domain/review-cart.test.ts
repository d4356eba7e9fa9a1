import { describe, expect, it } from 'vitest';
import type { Cart, CartLine } from './cart.ts';
import { reviewCart } from './review-cart.ts';
import type { VariantOffer } from './variant-offer.ts';

const line = (variantId: string, quantity: number, unitPriceMinor: number): CartLine => ({
  variantId,
  quantity,
  unitPriceMinor,
  currency: 'EUR',
  productName: variantId,
  sku: variantId,
});
const offer = (variantId: string, priceMinor: number, available = 50, purchasable = true): VariantOffer => ({
  variantId,
  productName: variantId,
  sku: variantId,
  priceMinor,
  currency: 'EUR',
  available,
  purchasable,
});

describe('reviewCart', () => {
  const cart: Cart = {
    lines: [line('same', 2, 100), line('dearer', 1, 100), line('gone', 3, 100), line('draft', 1, 100), line('short', 5, 100)],
    mergedGuestTokens: [],
  };
  const offers = new Map(
    [offer('same', 100), offer('dearer', 150), offer('draft', 100, 50, false), offer('short', 100, 2)].map((o) => [o.variantId, o]),
  );
  const review = reviewCart(cart, offers);
  const byId = new Map(review.lines.map((l) => [l.line.variantId, l]));

  it('flags a changed price with what it was and what it is now', () => {
    expect(byId.get('dearer')?.priceChanged).toEqual({ was: 100, now: 150 });
    expect(byId.get('same')?.priceChanged).toBeNull();
  });

  it('flags vanished and draft variants as unavailable, and short stock with the available count', () => {
    expect(byId.get('gone')?.unavailable).toBe(true);
    expect(byId.get('draft')?.unavailable).toBe(true);
    expect(byId.get('same')?.unavailable).toBe(false);
    expect(byId.get('short')?.insufficientStock).toEqual({ available: 2 });
  });

  it('totals available lines at current prices only', () => {
    // same 2×100 + dearer 1×150 + short 5×100; gone and draft excluded
    expect(review.subtotalMinor).toBe(850);
    expect(review.itemCount).toBe(8);
    expect(review.currency).toBe('EUR');
  });

  it('lists one issue per flag and changes nothing stored', () => {
    expect(review.issues.map((i) => `${i.code}:${i.variantId}`).sort()).toEqual([
      'CART.INSUFFICIENT_STOCK:short',
      'CART.PRICE_CHANGED:dearer',
      'CART.VARIANT_UNAVAILABLE:draft',
      'CART.VARIANT_UNAVAILABLE:gone',
    ]);
    expect(review.hasIssues).toBe(true);
    expect(cart.lines[1]).toEqual(line('dearer', 1, 100));
  });

  it('has no issues when the catalog agrees with the cart', () => {
    const calm = reviewCart({ lines: [line('same', 2, 100)], mergedGuestTokens: [] }, offers);
    expect(calm).toMatchObject({ hasIssues: false, issues: [], subtotalMinor: 200 });
  });
});
