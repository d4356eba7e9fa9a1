import type { Sql } from '../../../shared/database/database.ts';
import { sumByVariant } from '../domain/stock-demand.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { StockLine } from './catalog-api.ts';

/**
 * Hands reserved stock back, inside the caller's transaction. A variant deleted meanwhile is
 * skipped (delete is refused while stock is reserved, so this is only defensive).
 */
export async function releaseStock(ctx: CatalogContext, tx: Sql, lines: readonly StockLine[]): Promise<void> {
  const demand = sumByVariant(lines);
  if (demand.length === 0) return;
  await ctx.stockReservations.lockVariants(tx, demand);
  await ctx.stockReservations.releaseAll(tx, demand, ctx.now());
}
