import type { SignedWebhook } from '../application/ports/payment-gateway.port.ts';

/** Where a gateway adapter that originates webhooks (the sandbox) hands them. */
export type WebhookSink = (webhook: SignedWebhook) => Promise<void>;

/**
 * Posts each webhook to a URL the way Stripe does: JSON body, `Stripe-Signature` header.
 * A non-2xx answer is an error, so the sender can see the endpoint refused it.
 */
export function httpWebhookSink(url: string, options: { timeoutMs?: number } = {}): WebhookSink {
  return async ({ payload, signatureHeader }) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signatureHeader },
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`Webhook endpoint ${url} answered ${response.status}`);
  };
}
