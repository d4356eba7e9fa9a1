import type { Sql } from '../../../shared/database/database.ts';
import { sumByVariant } from '../domain/stock-demand.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { StockLine } from './catalog-api.ts';

/** Returned goods are back on the shelf: on_hand rises, audited per variant, rows locked in id order. */
export async function restockReturned(
  ctx: CatalogContext,
  tx: Sql,
  lines: readonly StockLine[],
  audit: { reason: string; actorId: string },
): Promise<void> {
  const demand = sumByVariant(lines);
  if (demand.length === 0) return;
  await ctx.stockReservations.lockVariants(tx, demand);
  await ctx.stockReservations.restockAll(tx, demand, audit, ctx.now());
}
