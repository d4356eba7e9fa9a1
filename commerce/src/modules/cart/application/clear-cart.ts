import type { CartOwner } from '../domain/cart-owner.ts';
import type { CartContext } from './cart.context.ts';

/** Empties the owner's cart (after an order is placed, or on the shopper's request). */
export async function clearCart(ctx: CartContext, owner: CartOwner): Promise<void> {
  await ctx.repository.delete(owner);
}
