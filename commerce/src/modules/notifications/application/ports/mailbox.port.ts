/** Reading captured mail back, which only the mailbox (`.eml` folder) mailer can do. */
export interface MailboxReader {
  listMessages(options?: { limit?: number }): Promise<Array<{ id: string; to: string[]; subject: string; date: string }>>;
  readMessage(id: string): Promise<{ id: string; to: string[]; subject: string; date: string; text: string; html: string; raw: string } | null>;
}

export function isMailboxReader(value: object): value is MailboxReader {
  const candidate = value as Partial<MailboxReader>;
  return typeof candidate.listMessages === 'function' && typeof candidate.readMessage === 'function';
}
