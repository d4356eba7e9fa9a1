import type { HandlerContext } from '../../../shared/events/index.ts';
import { oneLine } from '../domain/email-layout.ts';
import type { RenderedEmail } from '../domain/rendered-email.ts';
import type { SendOutcome } from './ports/mailer.port.ts';
import type { EmailKind } from './ports/sent-email.repository.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** The mail server is away or the same key is being sent right now: thrown so the bus retries. */
export class MailUnavailableError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'MailUnavailableError';
  }
}

/**
 * Sends one rendered email under `idempotencyKey` (derived from the event id, so a redelivered
 * event sends once). A refused recipient is final and only logged: retrying cannot fix an
 * address. Anything temporary throws so the event bus retries with back-off. An email about an
 * order (`about`) is recorded as sent to it; a send replayed after a crash records it then. Sent
 * for an event (`handler`), the record is written by the statement that completes the delivery: the
 * mail goes out before it, so a crash in between ends, as before, in a send the mailer deduplicates
 * on its key and then the record.
 */
export async function deliverEmail(
  ctx: NotificationsContext,
  to: string,
  email: RenderedEmail,
  idempotencyKey: string,
  about?: { orderId: string; kind: EmailKind },
  handler?: Pick<HandlerContext, 'completeInStatement'>,
): Promise<Exclude<SendOutcome, { status: 'unavailable' }>> {
  const subject = oneLine(`${ctx.shopName}: ${email.subject}`);
  const outcome = await ctx.mailer.send({ to, ...email, subject, idempotencyKey });
  if (outcome.status === 'unavailable') throw new MailUnavailableError(outcome.code, outcome.message);
  if (outcome.status === 'rejected') {
    ctx.logger.warn({ code: outcome.code, idempotencyKey, reason: outcome.message }, 'recipient refused, email dropped');
    return outcome;
  }
  if (!outcome.duplicate) ctx.logger.info({ idempotencyKey, messageId: outcome.messageId }, 'email sent');
  if (about) {
    const sent = { idempotencyKey, ...about, to, subject, messageId: outcome.messageId, sentAt: new Date() };
    if (handler) await handler.completeInStatement(ctx.sentEmails.recordStatement(sent));
    else await ctx.sentEmails.record(ctx.db, sent);
  }
  return outcome;
}

/** Thrown when an event arrives before the one that tells us whom to write: the bus retries it later. */
export class RecipientNotYetKnownError extends Error {
  constructor(readonly orderId: string, what = 'order') {
    super(`No ${what} recorded yet for order ${orderId}; waiting for its earlier event`);
    this.name = 'RecipientNotYetKnownError';
  }
}
