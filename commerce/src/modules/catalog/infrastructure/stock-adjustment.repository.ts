import type { Sql } from '../../../shared/database/index.ts';
import type { StockAdjustment } from '../application/catalog.dto.ts';
import { MAX_ON_HAND } from '../domain/stock.rules.ts';
import type { StockAdjustmentRepository } from '../application/ports/stock-adjustment.repository.ts';

/**
 * Moves on_hand by `delta` in one conditional statement, so two concurrent adjustments (or an
 * adjustment racing a reservation) can never leave on_hand below reserved: the row lock makes
 * the second one re-check the condition against the first one's result.
 * Returns the new on_hand, or null when the variant is missing or the bound would be broken.
 */
export async function applyStockDelta(sql: Sql, variantId: string, delta: number, now: Date): Promise<number | null> {
  const { rows } = await sql.query<{ on_hand: number }>(
    `update catalog.variants set on_hand = on_hand + $2, updated_at = $3
     where id = $1 and on_hand + $2 >= reserved and on_hand + $2 <= $4
     returning on_hand`,
    [variantId, delta, now, MAX_ON_HAND],
  );
  return rows[0]?.on_hand ?? null;
}

interface AdjustmentRow {
  id: string;
  variant_id: string;
  delta: number;
  reason: string;
  actor_id: string;
  on_hand_after: number;
  created_at: Date;
}

const toAdjustment = (row: AdjustmentRow): StockAdjustment => ({
  id: row.id,
  variantId: row.variant_id,
  delta: row.delta,
  reason: row.reason,
  actorId: row.actor_id,
  onHandAfter: row.on_hand_after,
  createdAt: row.created_at.toISOString(),
});

export async function insertAdjustment(sql: Sql, adjustment: StockAdjustment): Promise<void> {
  await sql.query(
    `insert into catalog.stock_adjustments (id, variant_id, delta, reason, actor_id, on_hand_after, created_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [adjustment.id, adjustment.variantId, adjustment.delta, adjustment.reason, adjustment.actorId, adjustment.onHandAfter, adjustment.createdAt],
  );
}

export async function listAdjustments(sql: Sql, variantId: string, limit: number): Promise<StockAdjustment[]> {
  const { rows } = await sql.query<AdjustmentRow>(
    `select id, variant_id, delta, reason, actor_id, on_hand_after, created_at from catalog.stock_adjustments
     where variant_id = $1 order by seq desc limit $2`,
    [variantId, limit],
  );
  return rows.map(toAdjustment);
}

/** The StockAdjustmentRepository port over PostgreSQL/PGlite. */
export const stockAdjustmentRepository: StockAdjustmentRepository = { applyStockDelta, insertAdjustment, listAdjustments };
