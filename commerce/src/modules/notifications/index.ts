/** The notifications module's only entry: its factory and the two mailers to hand it. */
export {
  createNotificationsModule,
  type NotificationsApi,
  type NotificationsConfig,
  type NotificationsModuleDeps,
  type OrderEmail,
} from './notifications.module.ts';
export type { Mailer, OutgoingEmail, SendOutcome } from './application/ports/mailer.port.ts';
export { createMailboxMailer, type MailboxMailer, type MailboxMailerOptions } from './infrastructure/mailbox.mailer.ts';
export { createSmtpMailer, type SmtpMailerOptions } from './infrastructure/smtp.mailer.ts';
export { notificationsMigrations } from './infrastructure/notifications.migrations.ts';
