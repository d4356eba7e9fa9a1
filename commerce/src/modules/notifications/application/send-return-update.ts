import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { renderReturnUpdate, type ReturnStep } from '../domain/return-update.template.ts';
import { deliverEmail, RecipientNotYetKnownError } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

/**
 * One email per step of a return (requested, approved, refused, received), keyed by the event so
 * a redelivery sends once.
 */
export async function sendReturnUpdate(
  ctx: NotificationsContext,
  event: DomainEvent<string, { orderId: string }>,
  update: ReturnStep,
  handler: HandlerContext,
): Promise<void> {
  const { orderId } = event.payload;
  const recipient = await ctx.recipients.find(ctx.db, orderId);
  if (!recipient) throw new RecipientNotYetKnownError(orderId);
  const email = renderReturnUpdate({ orderNumber: recipient.orderNumber, customerName: recipient.customerName, update });
  await deliverEmail(ctx, recipient.email, email, `return-${update.step}:${handler.idempotencyKey}`, { orderId, kind: 'return_update' }, handler);
}
