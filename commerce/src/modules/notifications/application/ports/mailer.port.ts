/**
 * Sending one email, as the notification handlers see it. Adapters: `createMailboxMailer`
 * (embedded default: `.eml` files an admin can browse) and `createSmtpMailer` (nodemailer).
 * Both pass `commerce/test/notifications/mailer.contract.ts`.
 *
 * `idempotencyKey` makes a redelivered event harmless: the same key sends once and then
 * answers `duplicate: true` with the first message id. Derive it from the cause, e.g.
 * `order-confirmation:${orderId}`. The sender address is the adapter's configuration.
 *
 * @example
 * const email = renderOrderConfirmation(data);
 * const r = await mailer.send({ to: customerEmail, ...email, idempotencyKey: `order-confirmation:${orderId}` });
 * if (r.status === 'unavailable') throw new Error(r.message); // let the event bus retry
 */
export interface Mailer {
  send(message: OutgoingEmail): Promise<SendOutcome>;
}

export interface OutgoingEmail {
  to: string | string[];
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string;
}

export type SendOutcome =
  | { status: 'sent'; messageId: string; duplicate: boolean }
  /** Permanent: the server refused the recipients (5xx). Retrying will not help. */
  | { status: 'rejected'; code: 'NOTIFICATIONS.RECIPIENT_REJECTED'; message: string }
  /** Temporary: the server is unreachable or said 4xx, or the same key is being sent right now. */
  | { status: 'unavailable'; code: 'NOTIFICATIONS.MAIL_UNAVAILABLE' | 'NOTIFICATIONS.SEND_IN_PROGRESS'; retryable: true; message: string };
