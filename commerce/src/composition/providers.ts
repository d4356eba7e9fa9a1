import { randomBytes } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { CommerceConfig } from '../config.ts';
import { createMailboxMailer, createSmtpMailer, type Mailer } from '../modules/notifications/index.ts';
import { createPaymentGateway, type PaymentGateway } from '../modules/payments/index.ts';
import { createSandboxCarrier, type SandboxCarrier } from '../modules/shipping/index.ts';
import type { KeyValueStore } from '../shared/kv/index.ts';

/**
 * The outside world's adapters, chosen by configuration: the embedded sandboxes by default,
 * the real providers (Stripe, an SMTP server) when their settings are present.
 */
export function createPaymentGatewayFromConfig(config: CommerceConfig, logger: Logger): PaymentGateway {
  if (config.PAYMENTS_GATEWAY === 'stripe') {
    return createPaymentGateway({
      kind: 'stripe',
      apiKey: config.STRIPE_API_KEY ?? '',
      webhookSecret: config.PAYMENTS_WEBHOOK_SECRET ?? '',
      baseUrl: config.STRIPE_API_BASE,
      logger,
    });
  }
  return createPaymentGateway({
    kind: 'sandbox',
    // The sandbox signs only the webhooks it posts to this very process: a per-process random
    // secret is enough and no default secret ships in the code.
    webhookSecret: config.PAYMENTS_WEBHOOK_SECRET ?? randomBytes(32).toString('hex'),
    webhookUrl: `http://127.0.0.1:${config.COMMERCE_PORT}/api/payments/webhooks/gateway`,
    stateFile: `${config.DATA_DIR}/payments-sandbox/journal.jsonl`,
    logger,
  });
}

export function createCarrierFromConfig(config: CommerceConfig): SandboxCarrier {
  return createSandboxCarrier({
    rates: {
      currency: config.SHIPPING_CURRENCY,
      standardFlatMinor: config.SHIPPING_STANDARD_MINOR,
      expressBaseMinor: config.SHIPPING_EXPRESS_BASE_MINOR,
      expressPer500gMinor: config.SHIPPING_EXPRESS_PER_500G_MINOR,
      freeStandardFromMinor: config.SHIPPING_FREE_FROM_MINOR,
      maxWeightGrams: config.SHIPPING_MAX_WEIGHT_GRAMS,
    },
    // The sandbox signs and verifies in this process (the admin "advance" route posts in-process).
    webhookSecret: config.SHIPPING_WEBHOOK_SECRET ?? randomBytes(32).toString('hex'),
    countries: config.SHIPPING_COUNTRIES,
    labelBaseUrl: 'https://sandbox-post.invalid/labels',
  });
}

export function createMailerFromConfig(config: CommerceConfig, kv: KeyValueStore): { mailer: Mailer; close: () => Promise<void> } {
  if (config.SMTP_URL) {
    const smtp = createSmtpMailer({ transport: config.SMTP_URL, from: config.MAIL_FROM, sentKeys: kv });
    return { mailer: smtp, close: async () => smtp.close() };
  }
  return { mailer: createMailboxMailer({ dir: `${config.DATA_DIR}/mail`, from: config.MAIL_FROM }), close: async () => undefined };
}
