import type { Sql } from '../../../../shared/database/database.ts';

/** One variant's summed quantity; lists are sorted by variant id. */
export interface StockDemand {
  variantId: string;
  quantity: number;
}

export interface LockedVariant {
  id: string;
  sku: string;
  onHand: number;
  reserved: number;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface StockReservationRepository {
  /**
   * Locks the variants' rows in id order. Every stock write goes through this first, so two
   * transactions touching overlapping variants queue up instead of deadlocking.
   */
  lockVariants(sql: Sql, demand: readonly StockDemand[]): Promise<LockedVariant[]>;
  /**
   * reserved += qty for every variant, in one statement that is its own guard: a row moves only
   * when `on_hand - reserved >= qty`, and no row moves unless every row can. Returns the ids moved
   * (all of them or none).
   */
  reserveAll(sql: Sql, demand: readonly StockDemand[], now: Date): Promise<string[]>;
  /** reserved -= qty; the `reserved >= 0` check constraint turns a double release into an error. */
  releaseAll(sql: Sql, demand: readonly StockDemand[], now: Date): Promise<number>;
  /**
   * on_hand -= qty and reserved -= qty, with one audit row per variant written by the same
   * statement, so the adjustments trail still sums to on_hand.
   */
  commitAll(sql: Sql, demand: readonly StockDemand[], audit: { reason: string; actorId: string }, now: Date): Promise<number>;
  /** Returned goods back on the shelf: on_hand += qty, one audit row per variant in the same statement. */
  restockAll(sql: Sql, demand: readonly StockDemand[], audit: { reason: string; actorId: string }, now: Date): Promise<number>;
}
