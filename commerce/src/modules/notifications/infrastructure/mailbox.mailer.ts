import { randomUUID } from 'node:crypto';
import { appendFile, link, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Mailer, OutgoingEmail, SendOutcome } from '../application/ports/mailer.port.ts';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { keyDigest, messageIdFor, parseEmail, toMailOptions, type ParsedEmail } from './email-message.ts';

export interface MailboxMailerOptions {
  /** e.g. `${DATA_DIR}/mail`; created if missing. */
  dir: string;
  /** e.g. `Shop <shop@example.test>`. */
  from: string;
}

export interface MailboxEntry {
  /** The file's name without `.eml`: a digest of the idempotency key. */
  id: string;
  messageId: string;
  to: string[];
  subject: string;
  date: string;
  sizeBytes: number;
}

export interface MailboxMessage extends MailboxEntry {
  text: string;
  html: string;
  /** The whole message as written (RFC 5322). */
  raw: string;
}

/** One line of the sends log: a message the transport actually wrote. */
export interface MailboxSend {
  idempotencyKey: string;
  to: string[];
  subject: string;
  at: string;
}

export interface MailboxMailer extends Mailer {
  /**
   * Every message written, oldest first, from the append-only `sends.log`: the file names
   * collapse one key's sends into one file, this log does not, so a second send is visible.
   */
  listSends(): Promise<MailboxSend[]>;
  /** Newest first, for the admin's mailbox view. */
  listMessages(options?: { limit?: number }): Promise<MailboxEntry[]>;
  /** Null for an unknown (or malformed) id. */
  readMessage(id: string): Promise<MailboxMessage | null>;
}

const ID = /^[0-9a-f]{64}$/;

/**
 * The embedded mail "server": each message becomes `<dir>/<sha256(idempotencyKey)>.eml`,
 * produced by nodemailer's own MIME composer. The file appears atomically (written and synced
 * under a temporary name, then hard-linked into place), and `link` refuses to replace an
 * existing name: of two concurrent sends with one key exactly one lands, on every platform,
 * and a retried send after a restart finds the file and does nothing. Each message that lands
 * also appends a line to `<dir>/sends.log` (key, recipients, subject).
 *
 * A send is acknowledged only once its directory entry is synced; sends landing together share
 * one directory sync (a sync started after a link covers it), so a busy mailbox pays one per group.
 */
export function createMailboxMailer(options: MailboxMailerOptions): MailboxMailer {
  const ready = mkdir(options.dir, { recursive: true });
  const syncEntries = groupedDirectorySync(options.dir);
  const fileOf = (id: string) => join(options.dir, `${id}.eml`);
  const sendsLog = join(options.dir, 'sends.log');

  async function summary(id: string, raw: Buffer): Promise<MailboxEntry & ParsedEmail> {
    const parsed = await parseEmail(raw);
    return { id, ...parsed, sizeBytes: raw.length };
  }

  /** Sends of one key in this process, one after the other: a duplicate then sees the first one's log line. */
  const byKey = new Map<string, Promise<unknown>>();

  /**
   * A crash between placing the file and appending its log line leaves a message the log does
   * not show; the send retried after the restart finds the file and writes the missing line.
   */
  async function logIfMissing(email: OutgoingEmail): Promise<void> {
    if ((await readSends()).some((s) => s.idempotencyKey === email.idempotencyKey)) return;
    await appendSend(email);
  }

  async function readSends(): Promise<MailboxSend[]> {
    let text: string;
    try {
      text = await readFile(sendsLog, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A line cut short by a crash mid-append is skipped, not fatal.
    return text.split('\n').flatMap((l) => {
      try {
        return l ? [JSON.parse(l) as MailboxSend] : [];
      } catch {
        return [];
      }
    });
  }

  async function appendSend(email: OutgoingEmail): Promise<void> {
    const to = Array.isArray(email.to) ? email.to : [email.to];
    const line: MailboxSend = { idempotencyKey: email.idempotencyKey, to, subject: email.subject, at: new Date().toISOString() };
    await appendFile(sendsLog, `${JSON.stringify(line)}\n`);
  }

  async function sendOnce(email: OutgoingEmail): Promise<SendOutcome> {
    await ready;
    const id = keyDigest(email.idempotencyKey);
    const messageId = messageIdFor(email.idempotencyKey, options.from);
    const target = fileOf(id);
    if (await exists(target)) {
      await logIfMissing(email);
      return { status: 'sent', messageId, duplicate: true };
    }
    const message = await compose(toMailOptions(email, options.from));
    const temporary = join(options.dir, `.${id}.${randomUUID()}.tmp`);
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(message);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, target);
      await syncEntries();
      await appendSend(email);
      return { status: 'sent', messageId, duplicate: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { status: 'sent', messageId, duplicate: true };
      throw error;
    } finally {
      await unlink(temporary);
    }
  }

  return {
    send(email: OutgoingEmail): Promise<SendOutcome> {
      const previous = byKey.get(email.idempotencyKey) ?? Promise.resolve();
      const sending = previous.then(() => sendOnce(email), () => sendOnce(email));
      byKey.set(email.idempotencyKey, sending);
      void sending.finally(() => byKey.get(email.idempotencyKey) === sending && byKey.delete(email.idempotencyKey)).catch(() => undefined);
      return sending;
    },

    async listSends() {
      await ready;
      return readSends();
    },

    async listMessages({ limit = 50 } = {}) {
      await ready;
      const names = (await readdir(options.dir)).filter((n) => n.endsWith('.eml') && ID.test(n.slice(0, -4)));
      const dated = await Promise.all(names.map(async (n) => ({ id: n.slice(0, -4), mtime: (await stat(join(options.dir, n))).mtimeMs })));
      dated.sort((a, b) => b.mtime - a.mtime || a.id.localeCompare(b.id));
      return Promise.all(
        dated.slice(0, limit).map(async ({ id }) => {
          const { text: _text, html: _html, ...entry } = await summary(id, await readFile(fileOf(id)));
          return entry;
        }),
      );
    },

    async readMessage(id: string) {
      // The id names a file: anything but a digest (e.g. `../`) is simply unknown.
      if (!ID.test(id)) return null;
      let raw: Buffer;
      try {
        raw = await readFile(fileOf(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return { ...(await summary(id, raw)), raw: raw.toString('utf8') };
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * The message as nodemailer's MIME composer writes it, with Unix line ends as the files always had.
 * The composer alone, without a transport around it: the transport's plugin and stream stages
 * cost more CPU than composing (about 0.9 against 1.5 ms per message) and add nothing to a file.
 */
function compose(mail: Mail.Options): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    new MailComposer(mail).compile().build((error, message) => (error ? reject(error) : resolve(Buffer.from(message.toString('utf8').replace(/\r\n/g, '\n'), 'utf8')))),
  );
}

/**
 * Makes new directory entries durable, not only the files' bytes. A caller waits for a sync that
 * started after its call: one running already may have missed its entry, so callers arriving
 * meanwhile share the next one.
 */
function groupedDirectorySync(dir: string): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const syncOnce = async () => {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  const start = (): Promise<void> => {
    running = syncOnce().finally(() => {
      running = null;
    });
    return running;
  };
  return () => {
    if (!running) return start();
    // The running sync's outcome is its own callers'; the next group starts after it either way.
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
}
