import type { CartOwner } from '../domain/cart-owner.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { reviewCart } from '../domain/review-cart.ts';
import type { CartContext } from './cart.context.ts';
import type { CheckoutCart, CheckoutCartError, CheckoutLine } from './cart.dto.ts';
import { loadOffers } from './load-offers.ts';

/**
 * The cart as checkout may turn it into an order: re-checked now, and refused while any
 * issue is open (a price the shopper has not accepted, a vanished variant, missing stock),
 * so an order is never placed at a price the shopper did not see.
 * Stock is only checked here, not reserved: checkout reserves it atomically.
 */
export async function getCartForCheckout(
  ctx: CartContext,
  owner: CartOwner,
): Promise<Result<CheckoutCart, CheckoutCartError>> {
  const cart = await ctx.repository.get(owner);
  if (!cart || cart.lines.length === 0) return fail({ code: 'CART.EMPTY', message: 'The cart is empty' });
  // Priced in the cart's own currency: what the shopper saw and accepted is what an order keeps.
  const catalog = ctx.inCurrency(cart.lines[0]!.currency);
  const review = reviewCart(cart, await loadOffers(catalog, cart.lines.map((line) => line.variantId)));
  if (review.hasIssues || review.currency === null) {
    return fail({ code: 'CART.HAS_ISSUES', issues: review.issues, message: 'The cart has changes the shopper must review first' });
  }
  const lines = review.lines.map(({ line, offer, unitPriceMinor, lineTotalMinor }): CheckoutLine => {
    // A line without issues always has its offer; this guards the invariant, it is not a case.
    if (!offer) throw new Error(`cart line ${line.variantId} passed review without an offer`);
    return {
      variantId: line.variantId,
      productId: offer.productId,
      sku: offer.sku,
      productName: offer.productName,
      options: offer.options,
      quantity: line.quantity,
      unitPriceMinor,
      lineTotalMinor,
      weightGrams: offer.weightGrams,
    };
  });
  return ok({ owner, currency: review.currency, lines, subtotalMinor: review.subtotalMinor, itemCount: review.itemCount });
}
