import { findLine, type Cart, type CartLimits } from './cart.ts';
import { cartErrors, type CartError } from './cart.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { VariantOffer } from './variant-offer.ts';

/**
 * Sets a line's quantity; 0 removes it. Only an increase is checked against the catalog:
 * lowering a quantity is how a shopper fixes a line flagged for stock, so it always works.
 */
export function changeLineQuantity(
  cart: Cart,
  variantId: string,
  quantity: number,
  offer: VariantOffer | undefined,
  limits: CartLimits,
): Result<Cart, CartError> {
  const existing = findLine(cart, variantId);
  if (!existing) return fail(cartErrors.lineNotFound(variantId));
  if (quantity === 0) return ok({ ...cart, lines: cart.lines.filter((line) => line !== existing) });
  if (quantity > limits.maxQuantity) return fail(cartErrors.quantityLimit(variantId, limits.maxQuantity));
  if (quantity > existing.quantity) {
    if (!offer || !offer.purchasable || offer.currency !== existing.currency) {
      return fail(cartErrors.variantUnavailable(variantId));
    }
    if (quantity > offer.available) return fail(cartErrors.insufficientStock(variantId, offer.available));
  }
  return ok({ ...cart, lines: cart.lines.map((line) => (line === existing ? { ...line, quantity } : line)) });
}
