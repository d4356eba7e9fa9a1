import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { renderOrderConfirmation } from '../domain/order-confirmation.template.ts';
import { deliverEmail } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** What the confirmation needs of `orders.order_created.v1`. */
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
}

/**
 * Remembers whom to write about this order (with the inbox mark, in one transaction), then
 * sends the confirmation. The send runs on redeliveries too: if the first attempt stored the
 * recipient but the mail server was down, the retry still has to send; the mailer's
 * idempotency key makes that a no-op once it went out.
 */
export async function sendOrderConfirmation(ctx: NotificationsContext, event: DomainEvent<string, CreatedOrder>, handler: HandlerContext): Promise<void> {
  const order = event.payload;
  await handler.once((tx) =>
    ctx.recipients.remember(tx, {
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      email: order.customer.email,
      customerName: order.shippingAddress.name,
      currency: order.currency,
      totalMinor: order.totalMinor,
      lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity })),
    }),
  );
  const email = renderOrderConfirmation({
    orderId: order.orderNumber,
    customerName: order.shippingAddress.name,
    currency: order.currency,
    lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity, lineTotalMinor: l.quantity * l.unitPriceMinor })),
    subtotalMinor: order.subtotalMinor,
    shippingMinor: order.shippingMinor,
    totalMinor: order.totalMinor,
  });
  await deliverEmail(ctx, order.customer.email, email, `order-confirmation:${handler.idempotencyKey}`);
}
