import { emptyCart, type Cart } from '../domain/cart.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import { reviewCart } from '../domain/review-cart.ts';
import type { CartView } from './cart.dto.ts';
import type { CatalogApi } from './ports/catalog.port.ts';
import { loadOffers } from './load-offers.ts';

/** Re-checks a stored cart (null: none) against the catalog and shapes it for the shopper. */
export async function presentCart(catalog: CatalogApi, owner: CartOwner, cart: Cart | null): Promise<CartView> {
  const offers = await loadOffers(catalog, cart?.lines.map((line) => line.variantId) ?? []);
  const review = reviewCart(cart ?? emptyCart(), offers);
  return {
    cartToken: owner.kind === 'guest' && cart ? owner.token : null,
    lines: review.lines.map(({ line, offer, unitPriceMinor, lineTotalMinor, priceChanged, unavailable, insufficientStock }) => ({
      variantId: line.variantId,
      productId: offer?.productId ?? null,
      sku: offer?.sku ?? line.sku,
      productName: offer?.productName ?? line.productName,
      options: offer?.options ?? {},
      imageUrl: offer?.imageUrl ?? null,
      quantity: line.quantity,
      unitPriceMinor,
      lineTotalMinor,
      currency: line.currency,
      priceChanged,
      unavailable,
      insufficientStock,
    })),
    currency: review.currency,
    subtotalMinor: review.subtotalMinor,
    itemCount: review.itemCount,
    hasIssues: review.hasIssues,
    issues: review.issues,
  };
}
