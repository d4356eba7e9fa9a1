import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../../src/shared/kv/index.ts';
import { parseEmail } from '../../src/modules/notifications/infrastructure/email-message.ts';
import { createMailboxMailer } from '../../src/modules/notifications/infrastructure/mailbox.mailer.ts';
import { mailerContract } from './mailer.contract.ts';
import { createSmtpMailer } from '../../src/modules/notifications/infrastructure/smtp.mailer.ts';
import { startTestSmtpServer } from './support/test-smtp.server.ts';

const from = 'Shop <shop@shop.test>';

mailerContract('mailbox folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mailbox-'));
  const mailer = createMailboxMailer({ dir, from });
  return {
    mailer,
    delivered: async () => {
      const entries = await mailer.listMessages({ limit: 1_000 });
      return Promise.all(entries.map(async (e) => parseEmail((await mailer.readMessage(e.id))!.raw)));
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

mailerContract('SMTP via nodemailer to a real smtp-server', async () => {
  const smtp = await startTestSmtpServer();
  const mailer = createSmtpMailer({ transport: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }, from, sentKeys: createMemoryStore() });
  return {
    mailer,
    delivered: async () =>
      Promise.all(
        smtp.messages.map(async (m) => {
          const parsed = await parseEmail(m.raw);
          // Who received it is the envelope's business, not the To header's.
          return { ...parsed, to: m.rcptTo };
        }),
      ),
    close: async () => {
      mailer.close();
      await smtp.close();
    },
  };
});
