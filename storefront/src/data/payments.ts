import { okOrNull, expectOk, type Shopper } from './shopper.ts';

/** Where the order's payment stands; `null` before payments has picked the order up. */
export function getPaymentState(shopper: Shopper, orderId: string) {
  return okOrNull(shopper, shopper.client.GET('/api/payments/{orderId}', { params: { path: { orderId } }, headers: shopper.headers() }));
}

/** The shopper's answer on the sandbox's 3-D Secure page; the sandbox then sends its webhook. */
export function answerSandboxAuthentication(shopper: Shopper, orderId: string, result: 'approved' | 'refused') {
  return expectOk(
    shopper,
    shopper.client.POST('/api/payments/{orderId}/sandbox-authentication', { params: { path: { orderId } }, body: { result }, headers: shopper.headers() }),
  );
}
