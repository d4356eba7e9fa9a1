import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { paymentFailureSentence } from '../domain/payment-failure-reason.ts';
import { renderPaymentFailed } from '../domain/payment-failed.template.ts';
import { deliverEmail, RecipientNotYetKnownError } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** What the email needs of `payments.payment_failed.v1`. */
export interface FailedPayment {
  orderId: string;
  code: string;
}

/** What the email needs of `orders.order_cancelled.v1`. */
export interface CancelledOrder {
  orderId: string;
  reason: string;
}

/**
 * Tells the shopper the payment failed and the order is cancelled; needs the order's
 * `OrderCreated` to have been handled first. One email per order whatever the cause (a
 * declined card's PaymentFailed, or the payment expiring): both use the order's key.
 */
export async function sendPaymentFailed(ctx: NotificationsContext, event: DomainEvent<string, FailedPayment>, handler: HandlerContext): Promise<void> {
  await sendFailure(ctx, event.payload.orderId, paymentFailureSentence(event.payload.code), handler);
}

/** An order cancelled because its payment expired gets the same email; other cancellations get none here. */
export async function sendPaymentExpired(ctx: NotificationsContext, event: DomainEvent<string, CancelledOrder>, handler: HandlerContext): Promise<void> {
  if (event.payload.reason !== 'payment_expired') return;
  await sendFailure(ctx, event.payload.orderId, paymentFailureSentence('ORDERS.PAYMENT_EXPIRED'), handler);
}

async function sendFailure(ctx: NotificationsContext, orderId: string, reason: string, handler: HandlerContext): Promise<void> {
  const recipient = await ctx.recipients.find(ctx.db, orderId);
  if (!recipient) throw new RecipientNotYetKnownError(orderId);
  const email = renderPaymentFailed({
    orderId: recipient.orderNumber,
    customerName: recipient.customerName,
    totalMinor: recipient.totalMinor,
    currency: recipient.currency,
    reason,
  });
  await deliverEmail(ctx, recipient.email, email, `payment-failed:${orderId}`, { orderId, kind: 'payment_failed' }, handler);
}
