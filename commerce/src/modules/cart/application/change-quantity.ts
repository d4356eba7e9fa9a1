import { changeLineQuantity } from '../domain/change-line-quantity.ts';
import { cartErrors, type CartError } from '../domain/cart.errors.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import type { Cart } from '../domain/cart.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { catalogFor, type CartContext } from './cart.context.ts';
import type { CartView } from './cart.dto.ts';
import { loadOffers } from './load-offers.ts';
import { presentCart } from './present-cart.ts';

/** Sets a line's quantity (0 removes the line). */
export async function changeQuantity(
  ctx: CartContext,
  owner: CartOwner,
  variantId: string,
  quantity: number,
): Promise<Result<CartView, CartError>> {
  const offer = quantity > 0 ? (await loadOffers(ctx.catalog, [variantId], 'recent')).get(variantId) : undefined;
  const outcome = await ctx.repository.update<Result<Cart, CartError>>(owner, (current) => {
    if (!current) return { result: fail(cartErrors.lineNotFound(variantId)) };
    const changed = changeLineQuantity(current, variantId, quantity, offer, ctx.limits);
    return changed.ok ? { result: changed, save: changed.value } : { result: changed };
  });
  if (!outcome.ok) return fail(outcome.error);
  return ok(await presentCart(catalogFor(ctx, outcome.value), owner, outcome.value));
}
