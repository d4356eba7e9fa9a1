import type { Sql } from '../../../../shared/database/database.ts';
import type { Payment } from '../../domain/payment.ts';

/** A stored payment: the state machine's `Payment` plus what only storage knows. */
export interface PaymentRecord {
  id: string;
  payment: Payment;
  failureReason: string | null;
  correlationId: string | null;
  /** Who may ask about this payment besides admins: the order's customer, or a guest with its order token. */
  owner: PaymentOwner;
  createdAt: Date;
  updatedAt: Date;
}

export interface PaymentOwner {
  userId: string | null;
  /** SHA-256 (hex) of the guest's order token. */
  accessTokenHash: string | null;
}

/** A signed webhook that was not about the order's payment as recorded. */
export interface WebhookRejection {
  gatewayEventId: string;
  intentId: string;
  orderId: string | null;
  reason: string;
  receivedAt: Date;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface PaymentRepository {
  /** Creates the order's payment unless it exists; either way returns the stored one. */
  insertPaymentIfAbsent(
    sql: Sql,
    input: { id: string; payment: Payment; correlationId: string | null; owner: PaymentOwner; now: Date },
  ): Promise<PaymentRecord>;
  /**
   * The order's payment with its row locked until the transaction ends: every state change
   * reads and writes under this lock, so concurrent facts (webhook, shopper, retried event)
   * are applied one after the other and each sees the previous one's result.
   */
  lockPaymentByOrder(tx: Sql, orderId: string): Promise<PaymentRecord | null>;
  findPaymentByOrder(sql: Sql, orderId: string): Promise<PaymentRecord | null>;
  findPaymentById(sql: Sql, id: string): Promise<PaymentRecord | null>;
  findOrderIdByIntent(sql: Sql, intentId: string): Promise<string | null>;
  /** Writes the state machine's new state; call only with the row locked (see `lockPaymentByOrder`). */
  savePayment(tx: Sql, id: string, p: Payment, failureReason: string | null, now: Date): Promise<void>;
  /**
   * Writes the new state only if the row is still in state `from`, locking it (false, nothing
   * written, when another fact got there first). A payment only moves forward, so a row still
   * `initiated` has had nothing applied since it was read.
   */
  savePaymentIfStill(tx: Sql, id: string, from: Payment['state'], p: Payment, failureReason: string | null, now: Date): Promise<boolean>;
  recordWebhookRejection(sql: Sql, rejection: WebhookRejection): Promise<void>;
  /** How many webhooks were rejected in all, and the newest ones. */
  listWebhookRejections(sql: Sql, limit: number): Promise<{ total: number; items: WebhookRejection[] }>;
  /** Newest first, optionally one order's. */
  listPayments(sql: Sql, filter: { orderId?: string | undefined; limit: number }): Promise<PaymentRecord[]>;
}
