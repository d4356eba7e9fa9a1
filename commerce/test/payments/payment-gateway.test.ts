import { createSandboxGateway } from '../../src/modules/payments/infrastructure/sandbox.gateway.ts';
import { createStripeGateway } from '../../src/modules/payments/infrastructure/stripe.gateway.ts';
import { paymentGatewayContract } from './payment-gateway.contract.ts';
import { startStripeFake } from './support/stripe-fake.server.ts';

paymentGatewayContract('sandbox', async () => {
  const gateway = createSandboxGateway({ webhookSecret: 'whsec_sandbox_test' });
  return {
    gateway,
    withShortTimeout: () => gateway,
    completeConfirmation: (intentId, result) => gateway.completeConfirmation(intentId, result),
    loseNextResponse: () => gateway.loseNextResponse(),
    stats: () => ({ ...gateway.stats }),
    webhooks: () => gateway.webhooks,
    close: async () => {},
  };
});

paymentGatewayContract('stripe adapter + local Stripe fake', async () => {
  const fake = await startStripeFake();
  const options = { apiKey: fake.apiKey, webhookSecret: fake.webhookSecret, baseUrl: fake.url };
  // Only calls designed to hang get the short timeout; the others keep a generous one so a busy machine cannot fake a timeout.
  const shortTimeout = createStripeGateway({ ...options, timeoutMs: 300 });
  return {
    gateway: createStripeGateway(options),
    withShortTimeout: () => shortTimeout,
    completeConfirmation: async (intentId, result) => fake.completeConfirmation(intentId, result),
    loseNextResponse: () => fake.loseNextResponse(),
    stats: () => ({ ...fake.stats }),
    webhooks: () => fake.webhooks,
    close: () => fake.close(),
  };
});
