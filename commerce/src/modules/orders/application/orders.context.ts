import type { Logger } from '@shop/platform';
import type { AuditTrail } from '../../../shared/audit/audit-trail.ts';
import type { Database } from '../../../shared/database/database.ts';
import type { EventBus } from '../../../shared/events/index.ts';
import type { CheckoutRequestRepository } from './ports/checkout-request.repository.ts';
import type { OrderRepository } from './ports/order.repository.ts';
import type { RefundRepository } from './ports/refund.repository.ts';
import type { ReturnRepository } from './ports/return.repository.ts';
import type { OrderActivity } from './ports/order-activity.port.ts';
import type { CartApi, CatalogApi, CustomerDirectory, OrderPromotions, OrderTaxes, ShippingQuotes } from './ports/orders.ports.ts';

/** What every use case needs; clock and ids are passed in so tests can pin them. */
export interface OrdersContext {
  db: Database;
  events: Pick<EventBus, 'publish'>;
  orders: OrderRepository;
  checkoutRequests: CheckoutRequestRepository;
  refunds: RefundRepository;
  returns: ReturnRepository;
  /** Days after delivery during which a customer may ask for a return. */
  returnWindowDays: number;
  catalog: CatalogApi;
  cart: CartApi;
  shipping: ShippingQuotes;
  customers: CustomerDirectory;
  /** Discount codes and automatic promotions; none apply without it (module tests). */
  promotions: OrderPromotions | null;
  /** Regions and taxes; orders carry no tax without it (module tests). */
  taxes: OrderTaxes | null;
  /** What other modules know about an order, for the admin's order detail. */
  activity: OrderActivity;
  /** Every back-office action on an order is recorded here, in the action's own transaction. */
  audit: AuditTrail;
  logger: Logger;
  now: () => Date;
  newId: () => string;
}
