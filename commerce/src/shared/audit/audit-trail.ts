import type { Sql } from '../database/database.ts';

/** Who did it: a back-office user (the Principal's id and role). */
export interface AuditActor {
  userId: string;
  role: string;
}

/** One admin action as the module that performed it describes it. */
export interface AuditRecord {
  actor: AuditActor;
  /** `<subject>.<verb>` in lower case: `product.update`, `variant.stock_adjust`, `order.refund`. */
  action: string;
  /** What was acted on: a type (`product`, `order`...) and its id. */
  subject: { type: string; id: string };
  /** A line for the log's list, e.g. `Blue mug: price 12.00 -> 14.00`; optional. */
  summary?: string;
  /** The subject's state before and after (null when created or deleted), as plain JSON. */
  before?: unknown;
  after?: unknown;
}

/**
 * How modules record admin actions, implemented by the audit module and handed to every module
 * by the composition root (as the Authenticator is). `record` joins the caller's transaction: the
 * entry commits if and only if the action does.
 *
 * @example
 * await ctx.db.transaction(async (tx) => {
 *   await orders.markRefunded(tx, order.id, amount);
 *   await ctx.audit.record(tx, { actor, action: 'order.refund', subject: { type: 'order', id: order.id }, before, after });
 * });
 */
export interface AuditTrail {
  record(tx: Sql, entry: AuditRecord): Promise<void>;
}

/** Records nothing: for processes and tests without back-office actions. */
export const noAuditTrail: AuditTrail = { record: async () => undefined };
