import http from 'node:http';
import https from 'node:https';
import type { SignedWebhook } from '../application/ports/payment-gateway.port.ts';

/** Where a gateway adapter that originates webhooks (the sandbox) hands them. */
export type WebhookSink = (webhook: SignedWebhook) => Promise<void>;

/**
 * Posts each webhook to a URL the way Stripe does: JSON body, `Stripe-Signature` header.
 * A non-2xx answer is an error, so the sender can see the endpoint refused it.
 *
 * Sent with node's own HTTP client over its kept-alive connections: the sandbox sends two per
 * paid order to the app it runs in, and `fetch` cost three times the CPU per post (its
 * WHATWG streams and abort signals) for nothing a webhook needs.
 */
export function httpWebhookSink(url: string, options: { timeoutMs?: number } = {}): WebhookSink {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return ({ payload, signatureHeader }) =>
    new Promise<void>((resolve, reject) => {
      const body = Buffer.from(payload, 'utf8');
      const request = client.request(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, 'stripe-signature': signatureHeader },
          timeout: timeoutMs,
        },
        (response) => {
          // The answer's body is not needed, but must be read for the connection to be reused.
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`Webhook endpoint ${url} answered ${status}`));
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`Webhook endpoint ${url} did not answer within ${timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
}
