import type { Cart } from '../../domain/cart.ts';
import type { CartOwner } from '../../domain/cart-owner.ts';

/** What a change decides: the result to hand back, and the cart to store (none: write nothing). */
export interface CartChange<R> {
  result: R;
  save?: Cart;
}

/**
 * Where carts live. Every write refreshes the cart's time to live, so a cart expires only
 * after a period of inactivity.
 */
export interface CartRepository {
  get(owner: CartOwner): Promise<Cart | null>;
  /**
   * Read-modify-write that never loses a concurrent update: `change` gets the current cart
   * (null when there is none) and may run several times if another writer got in between,
   * so it must be a pure function of its argument.
   */
  update<R>(owner: CartOwner, change: (current: Cart | null) => CartChange<R>): Promise<R>;
  delete(owner: CartOwner): Promise<void>;
}
