import type { Sql } from '../../../../shared/database/database.ts';
import type { StockAdjustment } from '../catalog.dto.ts';


/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface StockAdjustmentRepository {
  /**
   * Moves on_hand by `delta` in one conditional statement, so two concurrent adjustments (or an
   * adjustment racing a reservation) can never leave on_hand below reserved: the row lock makes
   * the second one re-check the condition against the first one's result.
   * Returns the new on_hand, or null when the variant is missing or the bound would be broken.
   */
  applyStockDelta(sql: Sql, variantId: string, delta: number, now: Date): Promise<number | null>;
  insertAdjustment(sql: Sql, adjustment: StockAdjustment): Promise<void>;
  listAdjustments(sql: Sql, variantId: string, limit: number): Promise<StockAdjustment[]>;
}
