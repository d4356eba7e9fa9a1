import type { paths } from '@shop/sdk';
import { expectOk, okOrNull, type Shopper } from './shopper.ts';

export type CheckoutBody = paths['/api/checkout']['post']['requestBody']['content']['application/json'];
export type PlacedOrder = paths['/api/checkout']['post']['responses'][202]['content']['application/json'];
export type Order = paths['/api/orders/{id}']['get']['responses'][200]['content']['application/json'];
export type OrderSummary = paths['/api/orders']['get']['responses'][200]['content']['application/json']['orders'][number];

/** Places the cart's order; the same key with the same body answers with the same order. */
export function placeOrder(shopper: Shopper, body: CheckoutBody, idempotencyKey: string): Promise<PlacedOrder> {
  return expectOk(
    shopper,
    shopper.client.POST('/api/checkout', { params: { header: { 'idempotency-key': idempotencyKey } }, body, headers: shopper.headers(true) }),
  );
}

/** The shopper's own order, or a guest's with its order token; `null` when neither may see it. */
export function getOrder(shopper: Shopper, id: string, orderToken?: string): Promise<Order | null> {
  return okOrNull(
    shopper,
    shopper.client.GET('/api/orders/{id}', {
      params: { path: { id } },
      headers: { ...shopper.headers(), ...(orderToken ? { 'x-order-token': orderToken } : {}) },
    }),
  ).catch((e: { status?: number }) => {
    if (e.status === 401 || e.status === 403) return null;
    throw e;
  });
}

export function listMyOrders(shopper: Shopper, cursor?: string) {
  return expectOk(shopper, shopper.client.GET('/api/orders', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } }, headers: shopper.headers() }));
}
