import type { paths } from '@shop/sdk';
import { expectOk, type Shopper } from './shopper.ts';

export type Cart = paths['/api/cart']['get']['responses'][200]['content']['application/json'];
export type CartLine = Cart['lines'][number];

export function getCart(shopper: Shopper): Promise<Cart> {
  return expectOk(shopper, shopper.client.GET('/api/cart', { headers: shopper.headers() }));
}

export function addToCart(shopper: Shopper, variantId: string, quantity: number): Promise<Cart> {
  return expectOk(shopper, shopper.client.POST('/api/cart/items', { body: { variantId, quantity }, headers: shopper.headers(true) }));
}

/** Quantity 0 removes the line. */
export function changeQuantity(shopper: Shopper, variantId: string, quantity: number): Promise<Cart> {
  return expectOk(
    shopper,
    shopper.client.PATCH('/api/cart/items/{variantId}', { params: { path: { variantId } }, body: { quantity }, headers: shopper.headers(true) }),
  );
}

export function removeLine(shopper: Shopper, variantId: string): Promise<Cart> {
  return expectOk(shopper, shopper.client.DELETE('/api/cart/items/{variantId}', { params: { path: { variantId } }, headers: shopper.headers(true) }));
}

/** The shopper saw the new prices and stock: the cart takes them as its own. */
export function acceptChanges(shopper: Shopper): Promise<Cart> {
  return expectOk(shopper, shopper.client.POST('/api/cart/accept-changes', { headers: shopper.headers(true) }));
}
