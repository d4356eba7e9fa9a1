import type { Logger } from '@shop/platform';
import type { PaymentGateway } from '../application/ports/payment-gateway.port.ts';
import { createSandboxGateway } from './sandbox.gateway.ts';
import { createStripeGateway } from './stripe.gateway.ts';
import { httpWebhookSink } from './webhook-sink.ts';

export type PaymentGatewayOptions =
  | {
      kind: 'sandbox';
      webhookSecret: string;
      /** Where the sandbox posts its webhooks, e.g. `http://127.0.0.1:3000/api/payments/webhooks/gateway`; none when unset. */
      webhookUrl?: string | undefined;
      /** The sandbox's journal (e.g. `${DATA_DIR}/payments-sandbox/journal.jsonl`); in memory only when unset. */
      stateFile?: string | undefined;
      logger: Logger;
    }
  | { kind: 'stripe'; webhookSecret: string; apiKey: string; baseUrl?: string | undefined; logger: Logger };

/** The gateway a composition root asks for by configuration: the embedded sandbox or Stripe. */
export function createPaymentGateway(options: PaymentGatewayOptions): PaymentGateway {
  if (options.kind === 'stripe') {
    return createStripeGateway({ apiKey: options.apiKey, webhookSecret: options.webhookSecret, baseUrl: options.baseUrl });
  }
  return createSandboxGateway({
    webhookSecret: options.webhookSecret,
    ...(options.webhookUrl ? { deliver: httpWebhookSink(options.webhookUrl) } : {}),
    ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    onDeliveryError: (error) => options.logger.warn({ err: error }, 'sandbox webhook delivery failed'),
  });
}
