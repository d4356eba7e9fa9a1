import type { Sql } from '../../../../shared/database/database.ts';
import type { Refund } from '../../domain/refund.ts';

/** Refunds an admin asked for; every call joins the caller's transaction. */
export interface RefundRepository {
  insert(tx: Sql, refund: Refund & { idempotencyKey: string; requestHash: string }): Promise<void>;
  /** The refund an earlier request with this key made, with the hash of that request. */
  findByKey(sql: Sql, orderId: string, idempotencyKey: string): Promise<(Refund & { requestHash: string }) | null>;
  find(sql: Sql, id: string): Promise<Refund | null>;
  /** Oldest first. */
  listFor(sql: Sql, orderId: string): Promise<Refund[]>;
  /** False when it was already marked (a redelivered PaymentRefunded) or is unknown. */
  markRefunded(tx: Sql, id: string, at: Date): Promise<boolean>;
}
