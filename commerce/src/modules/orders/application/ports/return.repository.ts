import type { Sql } from '../../../../shared/database/database.ts';
import type { OrderReturn, ReturnStatus } from '../../domain/order-return.ts';

export type ReturnChange = Partial<Pick<OrderReturn, 'status' | 'decisionNote' | 'decidedBy' | 'decidedAt' | 'disposition' | 'refundId' | 'refundMinor' | 'receivedBy' | 'receivedAt'>>;

/** Customers' returns; every call joins the caller's transaction. */
export interface ReturnRepository {
  insert(tx: Sql, r: OrderReturn & { idempotencyKey: string; requestHash: string }): Promise<void>;
  findByKey(sql: Sql, orderId: string, idempotencyKey: string): Promise<(OrderReturn & { requestHash: string }) | null>;
  find(sql: Sql, id: string): Promise<OrderReturn | null>;
  /** The return, its row locked until the transaction ends: every step after the request starts here. */
  lock(tx: Sql, id: string): Promise<OrderReturn | null>;
  /** Oldest first. */
  listFor(sql: Sql, orderId: string): Promise<OrderReturn[]>;
  /** The back office's queue: oldest first, optionally of one status. */
  list(sql: Sql, filter: { status?: ReturnStatus; limit: number }): Promise<OrderReturn[]>;
  update(tx: Sql, id: string, change: ReturnChange): Promise<void>;
}
