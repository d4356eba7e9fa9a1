import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailboxMailer } from './mailbox.mailer.ts';

const message = (key: string, subject = 's') => ({ to: 'a@example.test', subject, text: 't', html: '<p>h</p>', idempotencyKey: key });

describe('mailbox mailer specifics', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailbox-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('remembers sent keys across restarts, because the file name is derived from the key', async () => {
    await createMailboxMailer({ dir, from: 'shop@shop.test' }).send(message('order-confirmation:o1'));
    const restarted = createMailboxMailer({ dir, from: 'shop@shop.test' });
    expect(await restarted.send(message('order-confirmation:o1'))).toMatchObject({ status: 'sent', duplicate: true });
    const files = (await readdir(dir)).filter((f) => f !== 'sends.log');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.eml$/);
  });

  it('a message placed before a crash but missing from the sends log is logged, once, by the retried send', async () => {
    await createMailboxMailer({ dir, from: 'shop@shop.test' }).send(message('order-confirmation:o2'));
    // The crash came between placing the file and appending its log line.
    await writeFile(join(dir, 'sends.log'), '');
    const restarted = createMailboxMailer({ dir, from: 'shop@shop.test' });
    expect(await restarted.send(message('order-confirmation:o2'))).toMatchObject({ status: 'sent', duplicate: true });
    expect(await restarted.send(message('order-confirmation:o2'))).toMatchObject({ status: 'sent', duplicate: true });
    expect((await restarted.listSends()).map((s) => s.idempotencyKey)).toEqual(['order-confirmation:o2']);
  });

  it('leaves no temporary files behind and lists messages for the admin', async () => {
    const mailer = createMailboxMailer({ dir, from: 'Shop <shop@shop.test>' });
    await Promise.all([mailer.send(message('a', 'First')), mailer.send(message('a', 'First')), mailer.send(message('b', 'Second'))]);
    expect((await readdir(dir)).filter((f) => !f.endsWith('.eml'))).toEqual(['sends.log']);
    // One line per message written: the concurrent second send under key `a` wrote nothing.
    expect((await mailer.listSends()).map((s) => s.idempotencyKey).sort()).toEqual(['a', 'b']);
    const list = await mailer.listMessages();
    expect(list.map((m) => m.subject).sort()).toEqual(['First', 'Second']);
    const read = await mailer.readMessage(list[0]!.id);
    expect(read).toMatchObject({ id: list[0]!.id, to: ['a@example.test'], text: expect.stringContaining('t'), html: '<p>h</p>' });
    expect(read!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
  });

  it('many sends at once (their directory syncs shared) each land once, as RFC 5322 messages with Unix line ends', async () => {
    const mailer = createMailboxMailer({ dir, from: 'Shop <shop@shop.test>' });
    const keys = Array.from({ length: 24 }, (_, i) => `order-confirmation:o${i}`);
    const sent = await Promise.all(keys.map((k, i) => mailer.send({ ...message(k, `Order ${i} – confirmed`), text: `Hello Adà,\nyour order ${i}.` })));
    expect(sent.every((s) => s.status === 'sent' && !s.duplicate)).toBe(true);
    expect((await mailer.listSends()).map((s) => s.idempotencyKey).sort()).toEqual([...keys].sort());
    const list = await mailer.listMessages({ limit: 100 });
    expect(list).toHaveLength(24);
    for (const entry of list.slice(0, 3)) {
      const read = (await mailer.readMessage(entry.id))!;
      expect(read.raw).not.toContain('\r');
      expect(read.raw).toMatch(/^Message-ID: <[0-9a-f]{32}@shop\.test>$/m);
      expect(read.subject).toMatch(/^Order \d+ – confirmed$/);
      expect(read.text).toMatch(/^Hello Adà,\nyour order \d+\.$/);
    }
  });

  it('treats ids that are not digests (path traversal) as unknown', async () => {
    const mailer = createMailboxMailer({ dir, from: 'shop@shop.test' });
    expect(await mailer.readMessage('../../etc/passwd')).toBeNull();
    expect(await mailer.readMessage('0'.repeat(64))).toBeNull();
  });
});
