import type { CartOwner } from '../domain/cart-owner.ts';
import type { Cart } from '../domain/cart.ts';
import { removeLine } from '../domain/remove-line.ts';
import { catalogFor, type CartContext } from './cart.context.ts';
import type { CartView } from './cart.dto.ts';
import { presentCart } from './present-cart.ts';

/** Removes a line; removing one that is not there is not an error, so retries are harmless. */
export async function removeItem(ctx: CartContext, owner: CartOwner, variantId: string): Promise<CartView> {
  const cart = await ctx.repository.update(owner, (current): { result: Cart | null; save?: Cart } => {
    if (!current) return { result: null };
    const next = removeLine(current, variantId);
    return { result: next, save: next };
  });
  return presentCart(catalogFor(ctx, cart), owner, cart);
}
