import type { Sql } from '../../../shared/database/database.ts';
import { sumByVariant } from '../domain/stock-demand.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { StockLine } from './catalog-api.ts';

/**
 * Reserved goods left the warehouse (`ship`: on_hand and reserved drop together), or returned goods
 * came back (`restock`: on_hand rises); audited per variant, rows locked in variant-id order.
 */
export async function moveStock(
  ctx: CatalogContext,
  tx: Sql,
  lines: readonly StockLine[],
  audit: { reason: string; actorId: string },
  move: 'ship' | 'restock',
): Promise<void> {
  const demand = sumByVariant(lines);
  if (demand.length === 0) return;
  await ctx.stockReservations.lockVariants(tx, demand);
  if (move === 'ship') await ctx.stockReservations.commitAll(tx, demand, audit, ctx.now());
  else await ctx.stockReservations.restockAll(tx, demand, audit, ctx.now());
}
