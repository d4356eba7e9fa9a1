import type { Sql } from '../../../../shared/database/database.ts';
import type { OnceStatement } from '../../../../shared/events/index.ts';

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
  /** `record` as `completeInStatement` work, for a send an event caused: it completes the delivery. */
  recordStatement(email: SentEmail): OnceStatement;
  /** Oldest first. */
  listFor(sql: Sql, orderId: string): Promise<SentEmail[]>;
}
