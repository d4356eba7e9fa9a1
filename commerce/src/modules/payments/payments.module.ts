import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus, RetryPolicy } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { paymentsRoutes } from './api/payments.routes.ts';
import { capturePayment } from './application/capture-payment.ts';
import { CaptureRequested } from './application/capture-requested.event.ts';
import { createChargeMemory } from './application/charge-memory.ts';
import { chargeOrder } from './application/charge-order.ts';
import { getPaymentByOrder } from './application/get-payment-by-order.ts';
import { OrderCancelled, OrderCreated, OrderRefundRequested } from '../../events/orders.events.ts';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../events/payments.events.ts';
import type { PaymentsContext } from './application/payments.context.ts';
import type { PaymentView } from './application/payments.dto.ts';
import { refundCancelledOrder } from './application/refund-cancelled-order.ts';
import { refundRequestedOrder } from './application/refund-requested-order.ts';
import { voidCancelledOrder } from './application/void-cancelled-order.ts';
import type { PaymentGateway } from './application/ports/payment-gateway.port.ts';
import { paymentRepository } from './infrastructure/payment.repository.ts';
import { paymentsMigrations } from './infrastructure/payments.migrations.ts';
import { isSandboxGateway } from './infrastructure/sandbox.gateway.ts';
import { sandboxAuthenticationRoutes } from './api/sandbox-authentication.routes.ts';

export interface PaymentsConfig {
  /**
   * Attempts at the gateway per order, the first included. While the gateway times out the
   * bus retries with backoff; the last attempt fails the payment with `PAYMENTS.GATEWAY_TIMEOUT`.
   * Default 8.
   */
  maxAttempts?: number;
  /** Backoff between attempts; the bus's policy where unset. */
  retry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>>;
}

export interface PaymentsModuleDeps {
  db: Database;
  events: EventBus;
  /** Verifies webhooks too (`parseWebhook`), with the webhook secret it was built with. */
  gateway: PaymentGateway;
  auth: Authenticator;
  logger: Logger;
  config?: PaymentsConfig;
  now?: () => Date;
  newId?: () => string;
}

/** What other code in the same process may ask of payments. Orders must not need it: in remote mode it does not exist. */
export interface PaymentsApi {
  getPaymentByOrder(orderId: string): Promise<PaymentView | null>;
}

/** The events payments consumes: what a monolith relays out when payments runs as its own process. */
export const PAYMENTS_CONSUMED_EVENT_TYPES: readonly string[] = [OrderCreated.type, OrderCancelled.type, OrderRefundRequested.type];
/** The events payments publishes: what a monolith takes in from NATS when payments runs as its own process. */
export const PAYMENTS_PUBLISHED_EVENT_TYPES: readonly string[] = [PaymentCompleted.type, PaymentFailed.type, PaymentRefunded.type];

const SUBSCRIBER = 'payments';

/**
 * Payments in the `payments` schema: charges each new order (authorize, then capture),
 * follows the gateway's webhooks and the shopper's confirmation, refunds cancelled paid orders and
 * admins' refund requests,
 * voids the authorization of orders cancelled before their capture,
 * and publishes PaymentCompleted / PaymentFailed / PaymentRefunded. It subscribes to the bus
 * here, so create it before `events.start()`.
 *
 * @example
 * const payments = createPaymentsModule({ db, events, gateway: createSandboxGateway({ webhookSecret }), auth, logger });
 * await migrate(db, [events.migrations, payments.migrations]);
 * await server.register((api) => payments.routes(api), { prefix: '/api' });
 */
export function createPaymentsModule(
  deps: PaymentsModuleDeps,
): CommerceModule<PaymentsApi> & Required<Pick<CommerceModule<PaymentsApi>, 'migrations' | 'routes'>> {
  const maxAttempts = deps.config?.maxAttempts ?? 8;
  const ctx: PaymentsContext = {
    db: deps.db,
    events: deps.events,
    gateway: deps.gateway,
    payments: paymentRepository,
    charges: createChargeMemory(),
    logger: deps.logger,
    maxAttempts,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
  };
  const retry = { ...deps.config?.retry, maxAttempts };
  deps.events.subscribe(SUBSCRIBER, OrderCreated, (event, handler) => chargeOrder(ctx, event, handler), { retry, priority: 'order-path' });
  deps.events.subscribe(SUBSCRIBER, CaptureRequested, (event) => capturePayment(ctx, event), { retry });
  // A paid order is refunded; an unpaid one has its authorization, if any, voided.
  deps.events.subscribe(
    SUBSCRIBER,
    OrderCancelled,
    (event) => (event.payload.refundMinor > 0 ? refundCancelledOrder(ctx, event) : voidCancelledOrder(ctx, event)),
    { retry },
  );
  deps.events.subscribe(SUBSCRIBER, OrderRefundRequested, (event) => refundRequestedOrder(ctx, event), { retry });

  return {
    name: 'payments',
    api: { getPaymentByOrder: (orderId) => getPaymentByOrder(ctx, orderId) },
    migrations: paymentsMigrations,
    routes: async (app) => {
      await paymentsRoutes(ctx, deps.auth)(app);
      if (isSandboxGateway(deps.gateway)) await sandboxAuthenticationRoutes(ctx, deps.gateway, deps.auth)(app);
    },
  };
}
