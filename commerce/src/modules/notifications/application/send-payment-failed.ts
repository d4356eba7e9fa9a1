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

/** Tells the shopper the payment failed; needs the order's `OrderCreated` to have been handled first. */
export async function sendPaymentFailed(ctx: NotificationsContext, event: DomainEvent<string, FailedPayment>, handler: HandlerContext): Promise<void> {
  const recipient = await ctx.recipients.find(ctx.db, event.payload.orderId);
  if (!recipient) throw new RecipientNotYetKnownError(event.payload.orderId);
  const email = renderPaymentFailed({
    orderId: recipient.orderNumber,
    customerName: recipient.customerName,
    totalMinor: recipient.totalMinor,
    currency: recipient.currency,
    reason: paymentFailureSentence(event.payload.code),
  });
  await deliverEmail(ctx, recipient.email, email, `payment-failed:${handler.idempotencyKey}`);
}
