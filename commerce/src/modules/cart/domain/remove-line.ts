import type { Cart } from './cart.ts';

/** Removing a line that is not there leaves the cart as it is, so a retried DELETE is harmless. */
export function removeLine(cart: Cart, variantId: string): Cart {
  return { ...cart, lines: cart.lines.filter((line) => line.variantId !== variantId) };
}
