import { describe, expect, it } from 'vitest';
import type { Mailer, OutgoingEmail } from '../../src/modules/notifications/application/ports/mailer.port.ts';
import type { ParsedEmail } from '../../src/modules/notifications/infrastructure/email-message.ts';

export interface MailerHarness {
  mailer: Mailer;
  /** Messages that reached the other side (the SMTP peer, the mailbox folder), parsed. */
  delivered(): Promise<ParsedEmail[]>;
  close(): Promise<void>;
}

const email = (key: string, overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'ada@example.test',
  subject: 'Order ord_1 confirmed — merci',
  text: 'Plain part: 2 x Teapot €39.98',
  html: '<p>HTML part: 2 &times; Teapot <strong>€39.98</strong></p>',
  idempotencyKey: key,
  ...overrides,
});

/** The one contract both Mailer adapters honour (`mailer.test.ts`). */
export function mailerContract(name: string, make: () => Promise<MailerHarness>) {
  describe(`Mailer contract: ${name}`, () => {
    async function withHarness(test: (h: MailerHarness) => Promise<void>) {
      const h = await make();
      try {
        await test(h);
      } finally {
        await h.close();
      }
    }

    it('delivers the subject, every recipient, and both the text and HTML parts', () =>
      withHarness(async (h) => {
        const r = await h.mailer.send(email('k1', { to: ['ada@example.test', 'bob@example.test'] }));
        expect(r).toMatchObject({ status: 'sent', duplicate: false });
        const [message, ...rest] = await h.delivered();
        expect(rest).toHaveLength(0);
        expect(message).toMatchObject({ subject: 'Order ord_1 confirmed — merci', to: ['ada@example.test', 'bob@example.test'] });
        expect(message!.text.trim()).toBe('Plain part: 2 x Teapot €39.98');
        expect(message!.html).toContain('<strong>€39.98</strong>');
        if (r.status === 'sent') expect(message!.messageId).toBe(r.messageId);
      }));

    it('sends once per idempotency key; the retry reports a duplicate with the first message id', () =>
      withHarness(async (h) => {
        const first = await h.mailer.send(email('order-confirmation:ord_2'));
        const again = await h.mailer.send(email('order-confirmation:ord_2'));
        expect(again).toEqual(first.status === 'sent' ? { ...first, duplicate: true } : first);
        await h.mailer.send(email('order-confirmation:ord_3'));
        expect(await h.delivered()).toHaveLength(2);
      }));

    it('lets exactly one of several concurrent sends with one key through', () =>
      withHarness(async (h) => {
        const outcomes = await Promise.all(Array.from({ length: 5 }, () => h.mailer.send(email('shipped:ord_4'))));
        expect(outcomes.filter((o) => o.status === 'sent' && !o.duplicate)).toHaveLength(1);
        for (const o of outcomes) expect(['sent', 'unavailable']).toContain(o.status);
        expect(await h.delivered()).toHaveLength(1);
      }));
  });
}
