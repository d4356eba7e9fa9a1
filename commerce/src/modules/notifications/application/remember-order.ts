import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** What later emails need of `orders.order_created.v1`. */
export interface CreatedOrder {
  orderId: string;
  orderNumber: string;
  customer: { email: string };
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  totalMinor: number;
  lines: ReadonlyArray<{ name: string; quantity: number; unitPriceMinor: number }>;
  shippingAddress: { name: string };
  promotions?: ReadonlyArray<{ name: string; code: string | null; amountMinor: number }>;
  taxMinor?: number;
  taxInclusive?: boolean;
}

/**
 * Remembers whom to write about this order and what its confirmation shows. Nothing is sent yet:
 * an order is confirmed once it is paid. One statement that keeps the first copy per order, so a
 * redelivered or duplicated `OrderCreated` changes nothing without an inbox mark: no transaction
 * of its own (BEGIN, the mark, COMMIT), and it completes the delivery.
 */
export async function rememberOrder(ctx: NotificationsContext, event: DomainEvent<string, CreatedOrder>, handler: HandlerContext): Promise<void> {
  const order = event.payload;
  const statement = ctx.recipients.rememberStatement({
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    email: order.customer.email,
    customerName: order.shippingAddress.name,
    currency: order.currency,
    totalMinor: order.totalMinor,
    lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity })),
    confirmation: {
      orderId: order.orderNumber,
      customerName: order.shippingAddress.name,
      currency: order.currency,
      lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity, lineTotalMinor: l.quantity * l.unitPriceMinor })),
      subtotalMinor: order.subtotalMinor,
      shippingMinor: order.shippingMinor,
      totalMinor: order.totalMinor,
      promotions: (order.promotions ?? []).map((p) => ({ name: p.name, code: p.code, amountMinor: p.amountMinor })),
      taxMinor: order.taxMinor ?? 0,
      taxInclusive: order.taxInclusive ?? false,
    },
  });
  await handler.completeInStatement(statement);
}
