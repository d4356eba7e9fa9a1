import type { Sql } from '../../../../shared/database/database.ts';
import type { CancelReason, Order, OrderTimelineEntry } from '../../domain/order.ts';
import type { OrderStatus } from '../../domain/order-status.ts';

export interface NewOrder extends Omit<Order, 'orderNumber' | 'status' | 'paidMinor' | 'cancelReason' | 'updatedAt'> {
  ownerKey: string;
  checkoutIdentity: string;
}

export interface StatusChange {
  status: OrderStatus;
  paidMinor?: number;
  cancelReason?: CancelReason;
}

/** A timeline step as a status change writes it: `from` and `to` come from the change itself. */
export type StatusStep = Pick<OrderTimelineEntry, 'cause' | 'eventId' | 'at'>;

export interface OrderFilter {
  userId?: string;
  status?: OrderStatus;
  email?: string;
  orderNumber?: string;
  from?: Date;
  to?: Date;
  /** Keyset: orders strictly older than this (created_at, id). */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface OrderRepository {
  /**
   * Checkout's writes in one round trip: the pending order (unless the checkout identity is
   * taken: orderNumber null, nothing written), its first timeline step, and the stored answer
   * under the Idempotency-Key (`requestStored` false when the key is taken: roll back).
   */
  insertPlacedOrder(
    sql: Sql,
    o: NewOrder,
    first: OrderTimelineEntry,
    request: { ownerKey: string; idempotencyKey: string; requestHash: string },
  ): Promise<{ orderNumber: string | null; requestStored: boolean }>;
  /** The newest order placed from this checkout identity. */
  findByCheckoutIdentity(sql: Sql, identity: string): Promise<Order | null>;
  findOrder(sql: Sql, id: string): Promise<Order | null>;
  /** The order and its timeline (oldest step first) in one round trip. */
  findOrderWithTimeline(sql: Sql, id: string): Promise<{ order: Order; timeline: OrderTimelineEntry[] } | null>;
  /** The order, its row locked until the transaction ends: every status change starts here. */
  lockOrder(tx: Sql, id: string): Promise<Order | null>;
  /**
   * Up to `limit` orders still unpaid since before `cutoff`, locked. SKIP LOCKED: several
   * instances sweeping at once each take different orders, and an order a payment handler holds
   * is left for the next sweep.
   */
  claimExpired(tx: Sql, cutoff: Date, limit: number): Promise<Order[]>;
  /**
   * The order, already locked by the caller, moves from `from` to `change.status`, and its
   * timeline gets the step: one statement.
   */
  moveStatus(tx: Sql, id: string, from: OrderStatus, change: StatusChange, step: StatusStep): Promise<void>;
  /**
   * `lockOrder` and, when the status is one of `movableFrom`, the move to `change.status` with
   * its timeline step, in one statement. Resolves the order as it was before (null for an
   * unknown id) and whether it moved; the row stays locked until the transaction ends.
   */
  lockAndMove(
    tx: Sql,
    id: string,
    movableFrom: readonly OrderStatus[],
    change: StatusChange,
    step: StatusStep,
  ): Promise<{ before: Order; moved: boolean } | null>;
  /** Appends timeline rows, one statement for any number. */
  insertTimeline(tx: Sql, orderId: string, entries: readonly OrderTimelineEntry[]): Promise<void>;
  timelineOf(sql: Sql, orderId: string): Promise<OrderTimelineEntry[]>;
  /** Newest first, keyset paginated on (created_at, id): stable under concurrent inserts. */
  listOrders(sql: Sql, f: OrderFilter): Promise<Order[]>;
}
