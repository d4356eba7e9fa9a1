import type { Sql } from '../../../shared/database/database.ts';

/** What the cart (and later orders) need to know about a variant, as of now. */
export interface VariantSnapshot {
  variantId: string;
  productId: string;
  sku: string;
  productName: string;
  /** e.g. `{ size: 'M', colour: 'Blue' }` */
  options: Record<string, string>;
  priceMinor: number;
  currency: string;
  /** on hand minus reserved, never below 0 */
  available: number;
  /** false when the product is a draft; such variants cannot be bought. */
  purchasable: boolean;
  imageUrl: string | null;
  /** grams, for weight-based shipping rates */
  weightGrams: number;
}

/**
 * The catalog's public interface to other modules. Other modules never read the
 * `catalog` schema; they call this.
 */
export interface CatalogApi {
  /**
   * Snapshots for the ids that exist; unknown or deleted ids are simply absent from the result.
   * `current` (the default) reads the database now; `recent` may answer from the shopper read cache
   * (prices, publication and in-stock state as of the last catalog write or stock-state change,
   * units left up to `CATALOG_CACHE_TTL_MS` old): for showing a cart, never for deciding.
   */
  getVariants(variantIds: readonly string[], freshness?: SnapshotFreshness): Promise<VariantSnapshot[]>;
  /**
   * Reserves stock for every line inside the caller's transaction `tx`, all or nothing:
   * quantities are summed per variant first, rows are locked in variant-id order (so two
   * reservations never deadlock), and one conditional UPDATE is the guard, so stock is never
   * oversold however many checkouts race. On failure nothing was reserved.
   *
   * @example
   * await db.transaction(async (tx) => {
   *   const reserved = await catalog.reserveStock(tx, [{ variantId, quantity: 2 }]);
   *   if (!reserved.ok) throw new OutOfStock(reserved.error.sku); // roll the order back
   * });
   */
  reserveStock(tx: Sql, lines: readonly StockLine[]): Promise<StockReservationResult>;
  /** Gives reserved stock back (order cancelled). Not idempotent: the caller releases once per reservation. */
  releaseStock(tx: Sql, lines: readonly StockLine[]): Promise<void>;
  /**
   * The reserved goods left the warehouse: on_hand and reserved both drop by the quantity, and each
   * variant gets an audit row (`reason`, `actorId`) in the stock adjustments. Once per reservation.
   */
  commitStock(tx: Sql, lines: readonly StockLine[], audit: { reason: string; actorId: string }): Promise<void>;
  /**
   * Returned goods are back on the shelf: on_hand rises by the quantity, audited per variant.
   * Not idempotent: the caller restocks once per receipt (in its own transaction). Deleted variants are skipped.
   */
  restockReturned(tx: Sql, lines: readonly StockLine[], audit: { reason: string; actorId: string }): Promise<void>;
}

export type SnapshotFreshness = 'current' | 'recent';

export interface StockLine {
  variantId: string;
  /** A positive integer. */
  quantity: number;
}

export type StockReservationError =
  | { code: 'CATALOG.INSUFFICIENT_STOCK'; variantId: string; sku: string; available: number; message: string }
  | { code: 'CATALOG.VARIANT_NOT_FOUND'; variantId: string; message: string };

export type StockReservationResult = { ok: true } | { ok: false; error: StockReservationError };

export type { Sql };
