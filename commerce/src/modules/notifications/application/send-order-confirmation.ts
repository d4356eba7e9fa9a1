import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { renderOrderConfirmation } from '../domain/order-confirmation.template.ts';
import { deliverEmail, RecipientNotYetKnownError } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** What the confirmation needs of `payments.payment_completed.v1`. */
export interface CompletedPayment {
  orderId: string;
}

/**
 * Confirms the order once its payment completed, from what `OrderCreated` left (retried until
 * that has been handled). Keyed by the order, so a redelivered or duplicated PaymentCompleted
 * still sends one confirmation per order.
 */
export async function sendOrderConfirmation(ctx: NotificationsContext, event: DomainEvent<string, CompletedPayment>, handler: HandlerContext): Promise<void> {
  const recipient = await ctx.recipients.find(ctx.db, event.payload.orderId);
  if (!recipient) throw new RecipientNotYetKnownError(event.payload.orderId);
  if (!recipient.confirmation) {
    ctx.logger.warn({ orderId: recipient.orderId }, 'no confirmation content kept for the order; confirmation not sent');
    return;
  }
  await deliverEmail(
    ctx,
    recipient.email,
    renderOrderConfirmation(recipient.confirmation),
    `order-confirmation:${recipient.orderId}`,
    { orderId: recipient.orderId, kind: 'order_confirmation' },
    handler,
  );
}
