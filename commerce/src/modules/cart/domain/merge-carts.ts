import { findLine, type Cart, type CartLimits, type CartLine } from './cart.ts';

export interface MergeOutcome {
  cart: Cart;
  /** Variants moved or summed into the user's cart. */
  merged: string[];
  /** Variants left out: the cart was full or in another currency. */
  dropped: string[];
}

/** How many merged guest tokens a user cart remembers; older ones have long expired anyway. */
const REMEMBERED_MERGES = 20;

/**
 * Folds a guest cart into a user's cart at sign-in: quantities of the same variant are summed
 * and capped at `maxQuantity`, new lines are added while there is room. `guestTokenHash`
 * identifies the guest cart, so merging it a second time (a retried or concurrent sign-in)
 * changes nothing.
 */
export function mergeCarts(target: Cart, guest: Cart, guestTokenHash: string, limits: CartLimits): MergeOutcome {
  if (target.mergedGuestTokens.includes(guestTokenHash)) return { cart: target, merged: [], dropped: [] };
  const lines: CartLine[] = [...target.lines];
  const merged: string[] = [];
  const dropped: string[] = [];
  const currency = target.lines[0]?.currency ?? guest.lines[0]?.currency;
  for (const line of guest.lines) {
    const existing = findLine({ ...target, lines }, line.variantId);
    if (line.currency !== currency) {
      dropped.push(line.variantId);
    } else if (existing) {
      const index = lines.indexOf(existing);
      lines[index] = { ...existing, quantity: Math.min(existing.quantity + line.quantity, limits.maxQuantity) };
      merged.push(line.variantId);
    } else if (lines.length < limits.maxLines) {
      lines.push({ ...line, quantity: Math.min(line.quantity, limits.maxQuantity) });
      merged.push(line.variantId);
    } else {
      dropped.push(line.variantId);
    }
  }
  const mergedGuestTokens = [...target.mergedGuestTokens, guestTokenHash].slice(-REMEMBERED_MERGES);
  return { cart: { lines, mergedGuestTokens }, merged, dropped };
}
