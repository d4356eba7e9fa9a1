import { fail, ok, type Result } from '@shop/platform/result';
import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { renderOrderConfirmation } from '../domain/order-confirmation.template.ts';
import { deliverEmail } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

export type ResendError =
  | { code: 'NOTIFICATIONS.ORDER_UNKNOWN'; message: string }
  | { code: 'NOTIFICATIONS.NOT_YET_CONFIRMED'; message: string }
  | { code: 'NOTIFICATIONS.RECIPIENT_REJECTED'; message: string };

/**
 * An admin sends an order's confirmation again (the shopper lost it). Only once the first one
 * went out: an unpaid order has nothing to confirm. The mailer key includes the admin's
 * idempotency key, so a retried request sends once and a new request sends again.
 */
export async function resendOrderConfirmation(
  ctx: NotificationsContext,
  orderId: string,
  idempotencyKey: string,
  actor: AuditActor,
): Promise<Result<{ messageId: string; duplicate: boolean; to: string }, ResendError>> {
  const recipient = await ctx.recipients.find(ctx.db, orderId);
  if (!recipient) return fail({ code: 'NOTIFICATIONS.ORDER_UNKNOWN', message: `No emails are known for order ${orderId}` });
  const sent = await ctx.sentEmails.listFor(ctx.db, orderId);
  if (!recipient.confirmation || !sent.some((e) => e.kind === 'order_confirmation')) {
    return fail({ code: 'NOTIFICATIONS.NOT_YET_CONFIRMED', message: 'The order has not been confirmed yet: its confirmation goes out once it is paid' });
  }
  const outcome = await deliverEmail(
    ctx,
    recipient.email,
    renderOrderConfirmation(recipient.confirmation),
    `order-confirmation-resend:${orderId}:${idempotencyKey}`,
    { orderId, kind: 'order_confirmation_resent' },
  );
  if (outcome.status === 'rejected') return fail({ code: 'NOTIFICATIONS.RECIPIENT_REJECTED', message: outcome.message });
  if (!outcome.duplicate) {
    await ctx.db.transaction((tx) =>
      ctx.audit.record(tx, {
        actor,
        action: 'order.resend_confirmation',
        subject: { type: 'order', id: orderId },
        summary: `${recipient.orderNumber}: confirmation sent again to ${recipient.email}`,
        after: { to: recipient.email, messageId: outcome.messageId },
      }),
    );
  }
  return ok({ messageId: outcome.messageId, duplicate: outcome.duplicate, to: recipient.email });
}
