import type { Logger } from '@shop/platform';
import { noAuditTrail, type AuditTrail } from '../../shared/audit/audit-trail.ts';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { OrderCancelled, OrderCreated } from '../../events/orders.events.ts';
import { PaymentCompleted, PaymentFailed } from '../../events/payments.events.ts';
import { ReturnApproved, ReturnReceived, ReturnRefused, ReturnRequested } from '../../events/returns.events.ts';
import { LabelPurchased, ShipmentStatusChanged } from '../../events/shipping.events.ts';
import { ExistingAccountRegistrationAttempted } from '../../events/users.events.ts';
import { mailAdminRoutes } from './api/mail-admin.routes.ts';
import { orderEmailAdminRoutes } from './api/order-email-admin.routes.ts';
import { isMailboxReader } from './application/ports/mailbox.port.ts';
import type { NotificationsContext } from './application/notifications.context.ts';
import { rememberLabel } from './application/remember-label.ts';
import { sendOrderConfirmation } from './application/send-order-confirmation.ts';
import { sendPaymentExpired, sendPaymentFailed } from './application/send-payment-failed.ts';
import { rememberOrder } from './application/remember-order.ts';
import { sendRegistrationAttempt } from './application/send-registration-attempt.ts';
import { sendShipped } from './application/send-shipped.ts';
import { sendReturnUpdate } from './application/send-return-update.ts';
import type { Mailer } from './application/ports/mailer.port.ts';
import { createRecipientRepository } from './infrastructure/recipient.repository.ts';
import { createSentEmailRepository } from './infrastructure/sent-email.repository.ts';
import { notificationsMigrations } from './infrastructure/notifications.migrations.ts';

export interface NotificationsConfig {
  /** Prefixed to every subject. */
  shopName: string;
}

export interface NotificationsModuleDeps {
  db: Database;
  events: EventBus;
  /**
   * Where email goes: `createMailboxMailer` (embedded default; the admin can browse it) or
   * `createSmtpMailer`. The sender address is the mailer's own configuration.
   */
  mailer: Mailer;
  auth: Authenticator;
  /** Where staff resending an email is recorded; nothing is recorded without one (module tests). */
  audit?: AuditTrail;
  logger: Logger;
  config: NotificationsConfig;
}

/** An email that went out about an order, as the admin's order detail lists it. */
export interface OrderEmail {
  kind: string;
  to: string;
  subject: string;
  messageId: string;
  sentAt: string;
}

/** What other modules may ask of notifications. */
export interface NotificationsApi {
  /** The emails sent about an order, oldest first. */
  emailsOf(orderId: string): Promise<OrderEmail[]>;
}

export const NOTIFICATIONS_SUBSCRIBER = 'notifications';

/**
 * Emails to shoppers, driven by events: order confirmation once paid (`PaymentCompleted`, with
 * what `OrderCreated` left), payment failed / order cancelled (`PaymentFailed`, or `OrderCancelled`
 * for an expired payment), shipped (`ShipmentStatusChanged` to in_transit) and "someone tried to register
 * with your address" (`ExistingAccountRegistrationAttempted`). Other modules may list the emails
 * sent about an order; its HTTP surface is the admin's: the mailbox view and resending a confirmation.
 */
export function createNotificationsModule(
  deps: NotificationsModuleDeps,
): CommerceModule<NotificationsApi> & Required<Pick<CommerceModule<NotificationsApi>, 'migrations' | 'routes'>> {
  const ctx: NotificationsContext = {
    db: deps.db,
    mailer: deps.mailer,
    recipients: createRecipientRepository(),
    sentEmails: createSentEmailRepository(),
    audit: deps.audit ?? noAuditTrail,
    shopName: deps.config.shopName,
    logger: deps.logger,
  };
  const { events } = deps;
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, OrderCreated, (event, handler) => rememberOrder(ctx, event, handler));
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, PaymentCompleted, (event, handler) => sendOrderConfirmation(ctx, event, handler));
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, PaymentFailed, (event, handler) => sendPaymentFailed(ctx, event, handler));
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, OrderCancelled, (event, handler) => sendPaymentExpired(ctx, event, handler));
  // Inline, with orders' step to fulfilled: the carrier is kept in the transaction that stored the shipment.
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, LabelPurchased, (event, handler) => rememberLabel(ctx, event, handler), { inline: true });
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, ShipmentStatusChanged, (event, handler) => sendShipped(ctx, event, handler));
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, ReturnRequested, (event, handler) =>
    sendReturnUpdate(ctx, event, { step: 'requested', units: event.payload.lines.reduce((n, l) => n + l.quantity, 0) }, handler),
  );
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, ReturnApproved, (event, handler) => sendReturnUpdate(ctx, event, { step: 'approved', note: event.payload.note }, handler));
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, ReturnRefused, (event, handler) => sendReturnUpdate(ctx, event, { step: 'refused', note: event.payload.note }, handler));
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, ReturnReceived, (event, handler) =>
    sendReturnUpdate(ctx, event, { step: 'received', refundMinor: event.payload.refundMinor, currency: event.payload.currency }, handler),
  );
  events.subscribe(NOTIFICATIONS_SUBSCRIBER, ExistingAccountRegistrationAttempted, (event, handler) => sendRegistrationAttempt(ctx, event, handler));
  return {
    name: 'notifications',
    api: {
      async emailsOf(orderId) {
        const sent = await ctx.sentEmails.listFor(ctx.db, orderId);
        return sent.map((e) => ({ kind: e.kind, to: e.to, subject: e.subject, messageId: e.messageId, sentAt: e.sentAt.toISOString() }));
      },
    },
    migrations: notificationsMigrations,
    async routes(app) {
      await mailAdminRoutes(isMailboxReader(deps.mailer) ? deps.mailer : undefined, deps.auth)(app);
      await app.register(orderEmailAdminRoutes(ctx, deps.auth), { prefix: '/admin' });
    },
  };
}
