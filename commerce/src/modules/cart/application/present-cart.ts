import { emptyCart, type Cart } from '../domain/cart.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import { reviewCart } from '../domain/review-cart.ts';
import type { CartView } from './cart.dto.ts';
import type { CatalogApi, VariantSnapshot } from './ports/catalog.port.ts';
import { loadOffers } from './load-offers.ts';

/**
 * Re-checks a stored cart (null: none) against the catalog as recently read (a price or in-stock
 * change shows at once, units left within the catalog cache's TTL) and shapes it for the shopper.
 * `known` are snapshots this request has just read (the variant being added): not read twice.
 */
export async function presentCart(
  catalog: CatalogApi,
  owner: CartOwner,
  cart: Cart | null,
  known: ReadonlyMap<string, VariantSnapshot> = new Map(),
): Promise<CartView> {
  const ids = cart?.lines.map((line) => line.variantId) ?? [];
  const offers = new Map([...known].filter(([id]) => ids.includes(id)));
  for (const [id, offer] of await loadOffers(catalog, ids.filter((id) => !known.has(id)), 'recent')) offers.set(id, offer);
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
      currency: unavailable ? line.currency : (offer?.currency ?? line.currency),
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
