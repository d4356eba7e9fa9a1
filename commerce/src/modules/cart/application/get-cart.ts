import type { CartOwner } from '../domain/cart-owner.ts';
import { catalogFor, type CartContext } from './cart.context.ts';
import type { CartView } from './cart.dto.ts';
import { presentCart } from './present-cart.ts';

/** The owner's cart re-checked against the catalog; an empty cart when there is none. Writes nothing. */
export async function getCart(ctx: CartContext, owner: CartOwner): Promise<CartView> {
  const cart = await ctx.repository.get(owner);
  return presentCart(catalogFor(ctx, cart), owner, cart);
}
