import { okOrNull, expectOk, type Shopper } from './shopper.ts';

/** The shopper's session, and a guest's order token: the API shows a payment only to who may read its order. */
const headersFor = (shopper: Shopper, orderToken: string | undefined, unsafe = false) => ({
  ...shopper.headers(unsafe),
  ...(orderToken ? { 'x-order-token': orderToken } : {}),
});

/** Where the order's payment stands; `null` before payments has picked the order up (or for someone else's order). */
export function getPaymentState(shopper: Shopper, orderId: string, orderToken?: string) {
  return okOrNull(shopper, shopper.client.GET('/api/payments/{orderId}', { params: { path: { orderId } }, headers: headersFor(shopper, orderToken) }));
}

/** The shopper's answer on the sandbox's 3-D Secure page; the sandbox then sends its webhook. */
export function answerSandboxAuthentication(shopper: Shopper, orderId: string, result: 'approved' | 'refused', orderToken?: string) {
  return expectOk(
    shopper,
    shopper.client.POST('/api/payments/{orderId}/sandbox-authentication', {
      params: { path: { orderId } },
      body: { result },
      headers: headersFor(shopper, orderToken, true),
    }),
  );
}
