import type { Sql } from '../../../shared/database/index.ts';
import type { LockedVariant, StockDemand, StockReservationRepository } from '../application/ports/stock-reservation.repository.ts';



const demandJson = (demand: readonly StockDemand[]) =>
  JSON.stringify(demand.map((d) => ({ id: d.variantId, qty: d.quantity })));

/**
 * Locks the variants' rows in id order. Every stock write goes through this first, so two
 * transactions touching overlapping variants queue up instead of deadlocking.
 */
export async function lockVariants(sql: Sql, demand: readonly StockDemand[]): Promise<LockedVariant[]> {
  const { rows } = await sql.query<{ id: string; sku: string; on_hand: number; reserved: number }>(
    `select id, sku, on_hand, reserved from catalog.variants
     where id in (select value::uuid from jsonb_array_elements_text($1::jsonb))
     order by id for update`,
    [JSON.stringify(demand.map((d) => d.variantId))],
  );
  return rows.map((r) => ({ id: r.id, sku: r.sku, onHand: r.on_hand, reserved: r.reserved }));
}

/**
 * reserved += qty for every variant, in one statement that is its own guard: a row moves only
 * when `on_hand - reserved >= qty`, and no row moves unless every row can. Returns the ids moved
 * (all of them or none).
 */
export async function reserveAll(sql: Sql, demand: readonly StockDemand[], now: Date): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `with wanted as (select id, qty from jsonb_to_recordset($1::jsonb) as w(id uuid, qty int))
     update catalog.variants v set reserved = v.reserved + w.qty, updated_at = $2
     from wanted w
     where v.id = w.id and v.on_hand - v.reserved >= w.qty
       and not exists (
         select 1 from wanted w2 left join catalog.variants v2 on v2.id = w2.id
         where v2.id is null or v2.on_hand - v2.reserved < w2.qty)
     returning v.id`,
    [demandJson(demand), now],
  );
  return rows.map((r) => r.id);
}

/** reserved -= qty; the `reserved >= 0` check constraint turns a double release into an error. */
export async function releaseAll(sql: Sql, demand: readonly StockDemand[], now: Date): Promise<number> {
  const { rowCount } = await sql.query(
    `with wanted as (select id, qty from jsonb_to_recordset($1::jsonb) as w(id uuid, qty int))
     update catalog.variants v set reserved = v.reserved - w.qty, updated_at = $2
     from wanted w where v.id = w.id`,
    [demandJson(demand), now],
  );
  return rowCount;
}

/**
 * on_hand -= qty and reserved -= qty, with one audit row per variant written by the same
 * statement, so the adjustments trail still sums to on_hand.
 */
/**
 * Moves on_hand by qty × `sign` (and reserved too when the goods leave), with one audit row per
 * variant written by the same statement, so the adjustments trail still sums to on_hand.
 */
async function moveOnHand(
  sql: Sql,
  demand: readonly StockDemand[],
  audit: { reason: string; actorId: string },
  now: Date,
  move: 'ship' | 'restock',
): Promise<number> {
  const reserved = move === 'ship' ? ', reserved = v.reserved - w.qty' : '';
  const sign = move === 'ship' ? '-' : '';
  const { rows } = await sql.query<{ n: number }>(
    `with wanted as (select id, qty from jsonb_to_recordset($1::jsonb) as w(id uuid, qty int)),
     moved as (
       update catalog.variants v set on_hand = v.on_hand ${move === 'ship' ? '-' : '+'} w.qty${reserved}, updated_at = $2
       from wanted w where v.id = w.id
       returning v.id, v.on_hand, w.qty),
     audited as (
       insert into catalog.stock_adjustments (id, variant_id, delta, reason, actor_id, on_hand_after, created_at)
       select gen_random_uuid(), id, ${sign}qty, $3, $4, on_hand, $2 from moved
       returning 1)
     select count(*)::int as n from audited`,
    [demandJson(demand), now, audit.reason, audit.actorId],
  );
  return rows[0]?.n ?? 0;
}

export const commitAll = (sql: Sql, demand: readonly StockDemand[], audit: { reason: string; actorId: string }, now: Date) => moveOnHand(sql, demand, audit, now, 'ship');
export const restockAll = (sql: Sql, demand: readonly StockDemand[], audit: { reason: string; actorId: string }, now: Date) => moveOnHand(sql, demand, audit, now, 'restock');

/** The StockReservationRepository port over PostgreSQL/PGlite. */
export const stockReservationRepository: StockReservationRepository = { lockVariants, reserveAll, releaseAll, commitAll, restockAll };
