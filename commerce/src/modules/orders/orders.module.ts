import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import { noAuditTrail, type AuditTrail } from '../../shared/audit/audit-trail.ts';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { adminOrderDetailRoutes } from './api/admin-order-detail.routes.ts';
import { adminOrderRoutes } from './api/admin-orders.routes.ts';
import { adminRefundRoutes } from './api/admin-refunds.routes.ts';
import { adminReturnRoutes } from './api/admin-returns.routes.ts';
import { returnRoutes } from './api/returns.routes.ts';
import { invoiceOrderOf, refundOf, type InvoiceOrder, type InvoiceRefund } from './application/invoice-source.ts';
import { adminSummaryRoutes } from './api/admin-summary.routes.ts';
import { orderSummaryQuery } from './infrastructure/order-summary.query.ts';
import { orderRoutes } from './api/orders.routes.ts';
import { expireOrders } from './application/expire-orders.ts';
import { listOrders } from './application/list-orders.ts';
import { NO_ACTIVITY, type OrderActivity } from './application/ports/order-activity.port.ts';
import type { OrdersContext } from './application/orders.context.ts';
import type { CartApi, CatalogApi, CustomerDirectory, OrderPromotions, OrderTaxes, ShippingQuotes } from './application/ports/orders.ports.ts';
import { subscribeHandlers } from './application/subscribe-handlers.ts';
import { checkoutRequestRepository } from './infrastructure/checkout-request.repository.ts';
import { createSweeper } from './infrastructure/expiry-sweeper.ts';
import { orderRepository } from './infrastructure/order.repository.ts';
import { refundRepository } from './infrastructure/refund.repository.ts';
import { returnRepository } from './infrastructure/return.repository.ts';
import { ordersMigrations } from './infrastructure/orders.migrations.ts';

export interface OrdersConfig {
  /** An order unpaid for this long is cancelled and its stock released. */
  paymentTimeoutMinutes: number;
  /** How often this instance looks for such orders. */
  expirySweepMs: number;
  /** Days after delivery during which the customer may ask for a return. Default 30. */
  returnWindowDays?: number;
}

export interface OrdersModuleDeps {
  db: Database;
  events: EventBus;
  catalog: CatalogApi;
  cart: CartApi;
  shipping: ShippingQuotes;
  /** Where a signed-in customer's email comes from when the checkout body gives none. */
  customers: CustomerDirectory;
  /** Discount codes and automatic promotions (the promotions module); none apply when left out. */
  promotions?: OrderPromotions;
  /** Regions and tax lines (the pricing module); orders carry no tax when left out. */
  taxes?: OrderTaxes;
  /** Payment, shipments and emails of an order for the admin's detail; none when left out. */
  activity?: OrderActivity;
  /** Where cancellations and refunds by staff are recorded; nothing is recorded without one (module tests). */
  audit?: AuditTrail;
  auth: Authenticator;
  logger: Logger;
  config: OrdersConfig;
  /** Pinned in tests; the system clock and random uuids otherwise. */
  now?: () => Date;
  newId?: () => string;
}

/** A customer's order as the admin's customer detail lists it. */
export interface CustomerOrderSummary {
  id: string;
  orderNumber: string;
  status: string;
  currency: string;
  totalMinor: number;
  createdAt: string;
}

/** What other modules may ask of orders; mostly they react to its events instead. */
export interface OrdersApi {
  /** Cancels unpaid orders past the payment timeout now (the sweeper calls this on its own). */
  expireUnpaidOrders(): Promise<number>;
  /** A customer's newest orders, for the admin's customer detail. */
  ordersOfCustomer(userId: string, limit: number): Promise<CustomerOrderSummary[]>;
  /** What an invoice shows of an order (lines, buyer, totals, tax lines when priced with them); null when unknown. */
  invoiceOrderOf(orderId: string): Promise<InvoiceOrder | null>;
  /** A refund orders priced (an admin's or a return's), for its credit note; null when unknown. */
  refundOf(refundId: string): Promise<InvoiceRefund | null>;
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
    promotions: deps.promotions ?? null,
    taxes: deps.taxes ?? null,
    orders: orderRepository,
    checkoutRequests: checkoutRequestRepository,
    refunds: refundRepository,
    returns: returnRepository,
    returnWindowDays: deps.config.returnWindowDays ?? 30,
    activity: deps.activity ?? NO_ACTIVITY,
    audit: deps.audit ?? noAuditTrail,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
  };
  subscribeHandlers(deps.events, ctx);
  const expire = () => expireOrders(ctx, deps.config.paymentTimeoutMinutes);
  const sweeper = createSweeper(expire, deps.config.expirySweepMs, deps.logger);
  return {
    name: 'orders',
    api: {
      expireUnpaidOrders: expire,
      invoiceOrderOf: (orderId) => invoiceOrderOf(ctx, orderId),
      refundOf: (refundId) => refundOf(ctx, refundId),
      async ordersOfCustomer(userId, limit) {
        const page = await listOrders(ctx, { userId, limit });
        if (!page.ok) return [];
        return page.value.orders.map((o) => ({
          id: o.id,
          orderNumber: o.orderNumber,
          status: o.status,
          currency: o.currency,
          totalMinor: o.totalMinor,
          createdAt: o.createdAt.toISOString(),
        }));
      },
    },
    migrations: ordersMigrations,
    async routes(app) {
      await app.register(orderRoutes(ctx, deps.auth));
      await app.register(adminOrderRoutes(ctx, deps.auth), { prefix: '/admin' });
      await app.register(adminOrderDetailRoutes(ctx, deps.auth), { prefix: '/admin' });
      await app.register(adminRefundRoutes(ctx, deps.auth), { prefix: '/admin' });
      await app.register(returnRoutes(ctx, deps.auth));
      await app.register(adminReturnRoutes(ctx, deps.auth), { prefix: '/admin' });
      await app.register(adminSummaryRoutes({ db: deps.db, summary: orderSummaryQuery }, deps.auth), { prefix: '/admin' });
    },
    async start() {
      sweeper.start();
    },
    stop: () => sweeper.stop(),
  };
}
