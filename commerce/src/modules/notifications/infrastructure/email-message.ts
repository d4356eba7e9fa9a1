import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { simpleParser, type AddressObject } from 'mailparser';
import type { OutgoingEmail } from '../application/ports/mailer.port.ts';

/** A stable digest of the idempotency key: safe as a file name and inside a Message-ID. */
export const keyDigest = (idempotencyKey: string) => createHash('sha256').update(idempotencyKey).digest('hex');

/**
 * The same key always yields the same Message-ID, so even a message sent twice (SMTP after a
 * crash, see `smtp.mailer.ts`) can be recognised as one by the receiving side.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${keyDigest(idempotencyKey).slice(0, 32)}@${domain}>`;
}

export function toMailOptions(email: OutgoingEmail, from: string): Mail.Options {
  return { from, to: email.to, subject: email.subject, text: email.text, html: email.html, messageId: messageIdFor(email.idempotencyKey, from) };
}

export interface ParsedEmail {
  messageId: string;
  to: string[];
  subject: string;
  date: string;
  text: string;
  html: string;
}

/** Reads an RFC 5322 message back, for the mailbox's admin view and for tests. */
export async function parseEmail(raw: Buffer | string): Promise<ParsedEmail> {
  const mail = await simpleParser(raw);
  const addresses = (a: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean);
  return {
    messageId: mail.messageId ?? '',
    to: addresses(mail.to),
    subject: mail.subject ?? '',
    date: (mail.date ?? new Date(0)).toISOString(),
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
  };
}
