import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { KeyValueStore } from '../../../shared/kv/index.ts';
import type { Mailer, OutgoingEmail, SendOutcome } from '../application/ports/mailer.port.ts';
import { keyDigest, messageIdFor, toMailOptions } from './email-message.ts';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or nodemailer's SMTP options. */
  transport: string | SMTPTransport.Options;
  from: string;
  /**
   * Where sent keys are recorded: the shared key-value store (Redis in production, so every
   * instance sees them; the in-process store otherwise, which forgets them on restart).
   */
  sentKeys: KeyValueStore;
  /** How long a send may hold its key before another attempt may take over. Default 10 min. */
  claimSeconds?: number;
  /** How long a sent key is remembered. Default 30 days: longer than any event redelivery. */
  rememberSeconds?: number;
}

const SENDING = 'sending';

/**
 * SMTP has no idempotency of its own, so the adapter keeps a sent-keys record: it claims the
 * key (compare-and-set), sends, then records `sent:<message-id>`. Limits, by design of SMTP:
 * a crash after the server accepted the message but before the record is written leaves the
 * claim to expire, and the retry sends again (at least once, not exactly once). The repeat
 * carries the same Message-ID, which mail clients use to fold duplicates.
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer & { close(): void } {
  const transporter = nodemailer.createTransport(options.transport);
  const claimSeconds = options.claimSeconds ?? 600;
  const rememberSeconds = options.rememberSeconds ?? 30 * 24 * 3600;

  return {
    async send(email: OutgoingEmail): Promise<SendOutcome> {
      const key = `notifications:mail-sent:${keyDigest(email.idempotencyKey)}`;
      const messageId = messageIdFor(email.idempotencyKey, options.from);
      if (!(await options.sentKeys.compareAndSet(key, null, SENDING, claimSeconds))) {
        const state = await options.sentKeys.get(key);
        if (state?.startsWith('sent:')) return { status: 'sent', messageId: state.slice('sent:'.length), duplicate: true };
        return { status: 'unavailable', code: 'NOTIFICATIONS.SEND_IN_PROGRESS', retryable: true, message: 'The same email is being sent right now' };
      }
      let info: SMTPTransport.SentMessageInfo;
      try {
        info = await transporter.sendMail(toMailOptions(email, options.from));
      } catch (error) {
        // Nothing was accepted: free the key so the retry can send.
        await options.sentKeys.delete(key);
        return mapSmtpError(error);
      }
      await options.sentKeys.set(key, `sent:${info.messageId || messageId}`, rememberSeconds);
      return { status: 'sent', messageId: info.messageId || messageId, duplicate: false };
    },
    close() {
      transporter.close();
    },
  };
}

function mapSmtpError(error: unknown): SendOutcome {
  const { responseCode, code, message } = error as { responseCode?: number; code?: string; message?: string };
  if (code === 'EAUTH') throw error; // misconfiguration, not a delivery outcome
  if (typeof responseCode === 'number' && responseCode >= 500) {
    return { status: 'rejected', code: 'NOTIFICATIONS.RECIPIENT_REJECTED', message: message ?? `SMTP ${responseCode}` };
  }
  if ((typeof responseCode === 'number' && responseCode >= 400) || (code && ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED'].includes(code))) {
    return { status: 'unavailable', code: 'NOTIFICATIONS.MAIL_UNAVAILABLE', retryable: true, message: message ?? 'SMTP unavailable' };
  }
  throw error;
}
