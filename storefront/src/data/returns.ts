import type { paths } from '@shop/sdk';
import { expectOk, okOrNull, type Shopper } from './shopper.ts';

export type OrderReturns = paths['/api/orders/{id}/returns']['get']['responses'][200]['content']['application/json'];
export type ReturnRequest = paths['/api/orders/{id}/returns']['post']['requestBody']['content']['application/json'];

const headersFor = (shopper: Shopper, orderToken: string | undefined, unsafe = false) => ({
  ...shopper.headers(unsafe),
  ...(orderToken ? { 'x-order-token': orderToken } : {}),
});

/** The order's returns and what may still be sent back; `null` for someone else's order. */
export function getReturns(shopper: Shopper, orderId: string, orderToken?: string): Promise<OrderReturns | null> {
  return okOrNull(shopper, shopper.client.GET('/api/orders/{id}/returns', { params: { path: { id: orderId } }, headers: headersFor(shopper, orderToken) }));
}

/** Asks to return units; the same key with the same request answers the first return again. */
export function requestReturn(shopper: Shopper, orderId: string, body: ReturnRequest, idempotencyKey: string, orderToken?: string) {
  return expectOk(
    shopper,
    shopper.client.POST('/api/orders/{id}/returns', {
      params: { path: { id: orderId }, header: { 'idempotency-key': idempotencyKey } },
      body,
      headers: headersFor(shopper, orderToken, true),
    }),
  );
}
