import { acceptChanges } from '../domain/accept-changes.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import type { Cart } from '../domain/cart.ts';
import { catalogFor, type CartContext } from './cart.context.ts';
import type { CartView } from './cart.dto.ts';
import { loadOffers } from './load-offers.ts';
import { presentCart } from './present-cart.ts';

/**
 * The shopper accepts the catalog as it is now: stored prices become the current ones and
 * lines that can no longer be bought are dropped, as the catalog answers at this moment.
 * A change after that moment is flagged again on the next read, never taken silently.
 */
export async function acceptCartChanges(ctx: CartContext, owner: CartOwner): Promise<CartView> {
  const stored = await ctx.repository.get(owner);
  if (!stored) return presentCart(ctx.catalog, owner, null);
  const checked = new Set(stored.lines.map((line) => line.variantId));
  const offers = await loadOffers(catalogFor(ctx, stored), [...checked]);
  const cart = await ctx.repository.update(owner, (current): { result: Cart | null; save?: Cart } => {
    if (!current) return { result: null };
    // A line added since the offers were read was checked when it was added; keep it as it is.
    const accepted = acceptChanges({ ...current, lines: current.lines.filter((line) => checked.has(line.variantId)) }, offers);
    const next = {
      ...current,
      lines: current.lines.flatMap((line) =>
        checked.has(line.variantId) ? accepted.lines.filter((a) => a.variantId === line.variantId) : [line],
      ),
    };
    return { result: next, save: next };
  });
  return presentCart(catalogFor(ctx, cart), owner, cart);
}
