import type { Sql } from '../../../../shared/database/database.ts';
import type { Payment } from '../../domain/payment.ts';

/** A stored payment: the state machine's `Payment` plus what only storage knows. */
export interface PaymentRecord {
  id: string;
  payment: Payment;
  failureReason: string | null;
  correlationId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface PaymentRepository {
  /** Creates the order's payment unless it exists; either way returns the stored one. */
  insertPaymentIfAbsent(sql: Sql, input: { id: string; payment: Payment; correlationId: string | null; now: Date }): Promise<PaymentRecord>;
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
  /** Newest first, optionally one order's. */
  listPayments(sql: Sql, filter: { orderId?: string | undefined; limit: number }): Promise<PaymentRecord[]>;
}
