import { addLine } from '../domain/add-line.ts';
import { emptyCart, type Cart } from '../domain/cart.ts';
import type { CartError } from '../domain/cart.errors.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CartContext } from './cart.context.ts';
import type { CartView } from './cart.dto.ts';
import { loadOffers } from './load-offers.ts';
import { presentCart } from './present-cart.ts';

/**
 * Adds a variant to the owner's cart, creating the cart if needed. Without an owner, or
 * with a guest token that names no cart (expired, merged, or made up), a new guest cart
 * with a fresh token is created: a client never gets to choose its own token.
 */
export async function addItem(
  ctx: CartContext,
  owner: CartOwner | null,
  input: { variantId: string; quantity: number },
): Promise<Result<{ owner: CartOwner; cart: CartView }, CartError>> {
  // A recent snapshot: the price kept on the line is checked again at checkout, and stock is reserved there.
  const loaded = await loadOffers(ctx.catalog, [input.variantId], 'recent');
  const offer = loaded.get(input.variantId);

  const attempt = (target: CartOwner, mayCreate: boolean) =>
    ctx.repository.update<'missing' | Result<Cart, CartError>>(target, (current) => {
      if (!current && !mayCreate) return { result: 'missing' as const };
      const added = addLine(current ?? emptyCart(), input.variantId, input.quantity, offer, ctx.limits);
      return added.ok ? { result: added, save: added.value } : { result: added };
    });

  let target: CartOwner = owner ?? { kind: 'guest', token: ctx.newToken() };
  let outcome = await attempt(target, owner === null || owner.kind === 'user');
  if (outcome === 'missing') {
    target = { kind: 'guest', token: ctx.newToken() };
    outcome = await attempt(target, true);
  }
  if (outcome === 'missing') throw new Error('a new guest cart could not be created');
  if (!outcome.ok) return fail(outcome.error);
  return ok({ owner: target, cart: await presentCart(ctx.catalog, target, outcome.value, loaded) });
}
