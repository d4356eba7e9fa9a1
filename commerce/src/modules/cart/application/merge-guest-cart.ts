import { createHash } from 'node:crypto';
import { emptyCart } from '../domain/cart.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import { mergeCarts } from '../domain/merge-carts.ts';
import type { CartContext } from './cart.context.ts';
import type { MergeSummary } from './cart.dto.ts';

// The user's cart remembers merged guest carts by hash, never by the token itself (a bearer secret).
const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url').slice(0, 22);

/**
 * Moves a guest cart into a user's cart at sign-in, then deletes the guest cart.
 * Idempotent: the user's cart records which guest cart it absorbed, so a second merge of the
 * same guest cart (retried, or racing a concurrent sign-in) adds nothing.
 */
export async function mergeGuestCart(ctx: CartContext, guestToken: string, userId: string): Promise<MergeSummary> {
  const guestOwner: CartOwner = { kind: 'guest', token: guestToken };
  const guest = await ctx.repository.get(guestOwner);
  if (!guest) return { merged: [], dropped: [] };
  const hash = tokenHash(guestToken);
  const summary = await ctx.repository.update({ kind: 'user', userId }, (current) => {
    const target = current ?? emptyCart();
    if (target.mergedGuestTokens.includes(hash) || guest.lines.length === 0) return { result: { merged: [], dropped: [] } };
    const { cart, merged, dropped } = mergeCarts(target, guest, hash, ctx.limits);
    return { result: { merged, dropped }, save: cart };
  });
  await ctx.repository.delete(guestOwner);
  return summary;
}
