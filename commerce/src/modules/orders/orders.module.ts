import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { adminOrderRoutes } from './api/admin-orders.routes.ts';
import { adminSummaryRoutes } from './api/admin-summary.routes.ts';
import { orderSummaryQuery } from './infrastructure/order-summary.query.ts';
import { orderRoutes } from './api/orders.routes.ts';
import { expireOrders } from './application/expire-orders.ts';
import type { OrdersContext } from './application/orders.context.ts';
import type { CartApi, CatalogApi, CustomerDirectory, ShippingQuotes } from './application/ports/orders.ports.ts';
import { subscribeHandlers } from './application/subscribe-handlers.ts';
import { checkoutRequestRepository } from './infrastructure/checkout-request.repository.ts';
import { createSweeper } from './infrastructure/expiry-sweeper.ts';
import { orderRepository } from './infrastructure/order.repository.ts';
import { ordersMigrations } from './infrastructure/orders.migrations.ts';

export interface OrdersConfig {
  /** An order unpaid for this long is cancelled and its stock released. */
  paymentTimeoutMinutes: number;
  /** How often this instance looks for such orders. */
  expirySweepMs: number;
}

export interface OrdersModuleDeps {
  db: Database;
  events: EventBus;
  catalog: CatalogApi;
  cart: CartApi;
  shipping: ShippingQuotes;
  /** Where a signed-in customer's email comes from when the checkout body gives none. */
  customers: CustomerDirectory;
  auth: Authenticator;
  logger: Logger;
  config: OrdersConfig;
  /** Pinned in tests; the system clock and random uuids otherwise. */
  now?: () => Date;
  newId?: () => string;
}

/** What other modules may ask of orders: nothing yet; they react to its events instead. */
export interface OrdersApi {
  /** Cancels unpaid orders past the payment timeout now (the sweeper calls this on its own). */
  expireUnpaidOrders(): Promise<number>;
}

/**
 * Checkout and the order state machine, in the `orders` schema. Subscribes (as `orders`) to
 * payments' and shipping's events when created, so create it before `events.start()`.
 *
 * @example
 * const orders = createOrdersModule({ db, events, catalog: catalog.api, cart: cart.api, shipping, customers, auth, logger,
 *   config: { paymentTimeoutMinutes: 30, expirySweepMs: 60_000 } });
 */
export function createOrdersModule(
  deps: OrdersModuleDeps,
): CommerceModule<OrdersApi> & Required<Pick<CommerceModule<OrdersApi>, 'migrations' | 'routes' | 'start' | 'stop'>> {
  const ctx: OrdersContext = {
    db: deps.db,
    events: deps.events,
    catalog: deps.catalog,
    cart: deps.cart,
    shipping: deps.shipping,
    customers: deps.customers,
    orders: orderRepository,
    checkoutRequests: checkoutRequestRepository,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
  };
  subscribeHandlers(deps.events, ctx);
  const expire = () => expireOrders(ctx, deps.config.paymentTimeoutMinutes);
  const sweeper = createSweeper(expire, deps.config.expirySweepMs, deps.logger);
  return {
    name: 'orders',
    api: { expireUnpaidOrders: expire },
    migrations: ordersMigrations,
    async routes(app) {
      await app.register(orderRoutes(ctx, deps.auth));
      await app.register(adminOrderRoutes(ctx, deps.auth), { prefix: '/admin' });
      await app.register(adminSummaryRoutes({ db: deps.db, summary: orderSummaryQuery }, deps.auth), { prefix: '/admin' });
    },
    async start() {
      sweeper.start();
    },
    stop: () => sweeper.stop(),
  };
}
