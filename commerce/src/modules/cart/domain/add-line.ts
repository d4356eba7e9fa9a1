import { findLine, type Cart, type CartLimits } from './cart.ts';
import { cartErrors, type CartError } from './cart.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { VariantOffer } from './variant-offer.ts';

/**
 * Adds `quantity` of a variant, summing into an existing line. An existing line keeps the
 * price the shopper first saw; a changed price is flagged on read and settled by accept-changes.
 */
export function addLine(
  cart: Cart,
  variantId: string,
  quantity: number,
  offer: VariantOffer | undefined,
  limits: CartLimits,
): Result<Cart, CartError> {
  if (!offer) return fail(cartErrors.variantNotFound(variantId));
  if (!offer.purchasable) return fail(cartErrors.variantUnavailable(variantId));
  const cartCurrency = cart.lines[0]?.currency;
  if (cartCurrency !== undefined && cartCurrency !== offer.currency) {
    return fail(cartErrors.currencyMismatch(cartCurrency, offer.currency));
  }
  const existing = findLine(cart, variantId);
  const total = (existing?.quantity ?? 0) + quantity;
  if (total > limits.maxQuantity) return fail(cartErrors.quantityLimit(variantId, limits.maxQuantity));
  if (!existing && cart.lines.length >= limits.maxLines) return fail(cartErrors.lineLimit(limits.maxLines));
  if (total > offer.available) return fail(cartErrors.insufficientStock(variantId, offer.available));

  const lines = existing
    ? cart.lines.map((line) => (line === existing ? { ...line, quantity: total } : line))
    : [
        ...cart.lines,
        {
          variantId,
          quantity: total,
          unitPriceMinor: offer.priceMinor,
          currency: offer.currency,
          productName: offer.productName,
          sku: offer.sku,
        },
      ];
  return ok({ ...cart, lines });
}
