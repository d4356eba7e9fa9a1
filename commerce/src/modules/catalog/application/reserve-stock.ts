import type { Sql } from '../../../shared/database/database.ts';
import { sumByVariant } from '../domain/stock-demand.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { StockLine, StockReservationResult } from './catalog-api.ts';

/**
 * Reserves every line or none, inside the caller's transaction. The rows are locked in id order
 * first; the UPDATE's own condition is what guarantees no oversell.
 */
export async function reserveStock(ctx: CatalogContext, tx: Sql, lines: readonly StockLine[]): Promise<StockReservationResult> {
  const demand = sumByVariant(lines);
  if (demand.length === 0) return { ok: true };
  const locked = await ctx.stockReservations.lockVariants(tx, demand);
  const moved = await ctx.stockReservations.reserveAll(tx, demand, ctx.now());
  if (moved.length === demand.length) return { ok: true };
  // Nothing moved. Report the first short variant in id order, from the values under our lock.
  for (const { variantId, quantity } of demand) {
    const row = locked.find((v) => v.id === variantId);
    if (!row) return { ok: false, error: { code: 'CATALOG.VARIANT_NOT_FOUND', variantId, message: `Variant ${variantId} not found` } };
    const available = Math.max(0, row.onHand - row.reserved);
    if (available < quantity) {
      return {
        ok: false,
        error: { code: 'CATALOG.INSUFFICIENT_STOCK', variantId, sku: row.sku, available, message: `Only ${available} of ${row.sku} available, ${quantity} wanted` },
      };
    }
  }
  throw new Error('stock reservation moved no rows although every variant had enough stock');
}
