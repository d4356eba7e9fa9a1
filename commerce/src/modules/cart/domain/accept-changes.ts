import type { Cart } from './cart.ts';
import { isOfferUsable } from './review-cart.ts';
import type { VariantOffer } from './variant-offer.ts';

/**
 * The shopper agrees to the catalog as it is now: each line takes the current price, and
 * lines that can no longer be bought are dropped. Quantities are left alone (a stock shortage
 * is the shopper's to resolve by choosing a quantity).
 */
export function acceptChanges(cart: Cart, offers: ReadonlyMap<string, VariantOffer>): Cart {
  const lines = cart.lines.flatMap((line) => {
    const offer = offers.get(line.variantId);
    if (!offer || !isOfferUsable(line, offer)) return [];
    return [{ ...line, unitPriceMinor: offer.priceMinor, currency: offer.currency, productName: offer.productName, sku: offer.sku }];
  });
  return { ...cart, lines };
}
