import type { Sql } from '../../../../shared/database/database.ts';

export type EmailKind = 'order_confirmation' | 'order_confirmation_resent' | 'payment_failed' | 'shipped' | 'return_update';

/** An email that went out about an order. */
export interface SentEmail {
  idempotencyKey: string;
  orderId: string;
  kind: EmailKind;
  to: string;
  subject: string;
  messageId: string;
  sentAt: Date;
}

export interface SentEmailRepository {
  /** Keeps the first record of a key: a replayed send changes nothing. */
  record(sql: Sql, email: SentEmail): Promise<void>;
  /** Oldest first. */
  listFor(sql: Sql, orderId: string): Promise<SentEmail[]>;
}
