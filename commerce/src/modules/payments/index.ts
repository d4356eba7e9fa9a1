/** The payments module's entry (its events are in `src/events/payments.events.ts`). */
export {
  createPaymentsModule,
  PAYMENTS_CONSUMED_EVENT_TYPES,
  PAYMENTS_PUBLISHED_EVENT_TYPES,
  type PaymentsApi,
  type PaymentsConfig,
  type PaymentsModuleDeps,
} from './payments.module.ts';
export type { PaymentView } from './application/payments.dto.ts';
export type { PaymentState } from './domain/payment.ts';
export type { PaymentGateway } from './application/ports/payment-gateway.port.ts';
export { createSandboxGateway, type SandboxGateway, type SandboxGatewayOptions } from './infrastructure/sandbox.gateway.ts';
export { createStripeGateway, type StripeGatewayOptions } from './infrastructure/stripe.gateway.ts';
export { httpWebhookSink } from './infrastructure/webhook-sink.ts';
export { TEST_CARDS, type TestCard } from './infrastructure/sandbox-test-cards.ts';
export { createPaymentGateway, type PaymentGatewayOptions } from './infrastructure/payment-gateway.factory.ts';
export { paymentsMigrations } from './infrastructure/payments.migrations.ts';
