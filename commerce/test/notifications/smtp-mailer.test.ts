import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/shared/kv/index.ts';
import { keyDigest } from '../../src/modules/notifications/infrastructure/email-message.ts';
import { createSmtpMailer } from '../../src/modules/notifications/infrastructure/smtp.mailer.ts';
import { startTestSmtpServer } from './support/test-smtp.server.ts';

const message = (to: string, key: string) => ({ to, subject: 's', text: 't', html: '<p>h</p>', idempotencyKey: key });

describe('SMTP mailer outcomes', () => {
  it('reports a 550 recipient as rejected and frees the key for a later attempt', async () => {
    const smtp = await startTestSmtpServer({ rejectRecipients: ['gone@example.test'] });
    const sentKeys = createMemoryStore();
    const mailer = createSmtpMailer({ transport: { host: '127.0.0.1', port: smtp.port, ignoreTLS: true }, from: 'shop@shop.test', sentKeys });
    try {
      expect(await mailer.send(message('gone@example.test', 'k'))).toMatchObject({ status: 'rejected', code: 'NOTIFICATIONS.RECIPIENT_REJECTED' });
      expect(smtp.messages).toHaveLength(0);
      expect(await mailer.send(message('ok@example.test', 'k'))).toMatchObject({ status: 'sent', duplicate: false });
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('reports an unreachable server as retryable and does not remember the key as sent', async () => {
    // A port that was just free: nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const sentKeys = createMemoryStore();
    const mailer = createSmtpMailer({ transport: { host: '127.0.0.1', port, ignoreTLS: true, connectionTimeout: 2_000 }, from: 'shop@shop.test', sentKeys });
    expect(await mailer.send(message('a@example.test', 'k2'))).toMatchObject({ status: 'unavailable', retryable: true, code: 'NOTIFICATIONS.MAIL_UNAVAILABLE' });
    expect(await sentKeys.get(`notifications:mail-sent:${keyDigest('k2')}`)).toBeNull();
    mailer.close();
  });
});
