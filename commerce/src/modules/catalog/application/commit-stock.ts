import type { Sql } from '../../../shared/database/database.ts';
import { sumByVariant } from '../domain/stock-demand.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { StockLine } from './catalog-api.ts';

/** Reserved goods left the warehouse: on_hand and reserved drop together, audited per variant. */
export async function commitStock(
  ctx: CatalogContext,
  tx: Sql,
  lines: readonly StockLine[],
  audit: { reason: string; actorId: string },
): Promise<void> {
  const demand = sumByVariant(lines);
  if (demand.length === 0) return;
  await ctx.stockReservations.lockVariants(tx, demand);
  await ctx.stockReservations.commitAll(tx, demand, audit, ctx.now());
}
