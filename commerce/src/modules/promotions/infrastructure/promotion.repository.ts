import type { Sql } from '../../../shared/database/index.ts';
import type { NewPromotion, PromotionRepository, RedemptionRefusal, RedemptionRequest } from '../application/ports/promotion.repository.ts';
import type { Promotion } from '../domain/promotion.ts';

interface PromotionRow {
  id: string;
  code: string | null;
  name: string;
  kind: Promotion['kind'];
  value: number | string;
  currency: string | null;
  min_subtotal_minor: number | string;
  starts_at: Date | string | null;
  ends_at: Date | string | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  used_count: number;
  disabled_at: Date | string | null;
  created_at: Date | string;
}

const COLUMNS = `p.id, p.code, p.name, p.kind, p.value, p.currency, p.min_subtotal_minor, p.starts_at, p.ends_at, p.usage_limit,
  p.per_customer_limit, p.used_count, p.disabled_at, p.created_at`;
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

const toPromotion = (r: PromotionRow): Promotion => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind,
  value: Number(r.value),
  currency: r.currency,
  minSubtotalMinor: Number(r.min_subtotal_minor),
  startsAt: date(r.starts_at),
  endsAt: date(r.ends_at),
  usageLimit: r.usage_limit,
  perCustomerLimit: r.per_customer_limit,
  usedCount: r.used_count,
  disabledAt: date(r.disabled_at),
  createdAt: new Date(r.created_at),
});

async function candidates(sql: Sql, code: string | null, customerKey: string | null, now: Date) {
  const { rows } = await sql.query<PromotionRow & { customer_uses: number }>(
    `select ${COLUMNS}, coalesce(cu.uses, 0) as customer_uses
       from promotions.promotions p
       left join promotions.customer_uses cu on cu.promotion_id = p.id and cu.customer_key = $2
      where p.code = $1 or (p.code is null and p.disabled_at is null and (p.ends_at is null or p.ends_at > $3))`,
    [code, customerKey ?? '', now],
  );
  return { promotions: rows.map(toPromotion), customerUses: new Map(rows.map((r) => [r.id, r.customer_uses])) };
}

async function automatic(sql: Sql, now: Date): Promise<Promotion[]> {
  const { rows } = await sql.query<PromotionRow>(
    `select ${COLUMNS} from promotions.promotions p where p.code is null and p.disabled_at is null and (p.ends_at is null or p.ends_at > $1)`,
    [now],
  );
  return rows.map(toPromotion);
}

/**
 * One statement: lock the promotions in id order (two checkouts never deadlock over them), bump
 * each total counter only while it is below its limit, bump the customer's counter only while it
 * is below theirs, record the redemption. Under READ COMMITTED a waiting update re-checks its
 * condition on the row the winner committed, so 100 racing checkouts for 10 uses left count
 * exactly 10. Whatever did not count is reported; the caller then rolls the whole checkout back.
 */
async function redeem(tx: Sql, r: RedemptionRequest): Promise<RedemptionRefusal> {
  const { rows } = await tx.query<{ promotion_id: string | null; reason: 'USED_UP' | 'CUSTOMER_LIMIT' | null }>(
    `with wanted as (
       select * from jsonb_to_recordset($1::jsonb) as w(promotion_id uuid, amount_minor bigint)
     ),
     locked as (
       select p.id, p.per_customer_limit from promotions.promotions p
        where p.id in (select promotion_id from wanted) order by p.id for update
     ),
     bumped as (
       update promotions.promotions p set used_count = p.used_count + 1
         from locked l
        where p.id = l.id and p.disabled_at is null and (p.usage_limit is null or p.used_count < p.usage_limit)
       returning p.id
     ),
     mine as (
       insert into promotions.customer_uses as cu (promotion_id, customer_key, uses)
       select l.id, $2, 1 from locked l where l.per_customer_limit is not null
       on conflict (promotion_id, customer_key) do update set uses = cu.uses + 1
        where cu.uses < (select x.per_customer_limit from promotions.promotions x where x.id = excluded.promotion_id)
       returning promotion_id
     ),
     recorded as (
       insert into promotions.redemptions (promotion_id, order_id, customer_key, amount_minor, currency, at)
       select w.promotion_id, $3, $2, w.amount_minor, $4, $5 from wanted w
       on conflict do nothing
     )
     select w.promotion_id,
            case when w.promotion_id not in (select id from bumped) then 'USED_UP'
                 else 'CUSTOMER_LIMIT' end as reason
       from wanted w
       left join locked l on l.id = w.promotion_id
      where w.promotion_id not in (select id from bumped)
         or (l.per_customer_limit is not null and w.promotion_id not in (select promotion_id from mine))
      order by w.promotion_id
      limit 1`,
    [JSON.stringify(r.uses.map((u) => ({ promotion_id: u.promotionId, amount_minor: u.amountMinor }))), r.customerKey, r.orderId, r.currency, r.at],
  );
  const row = rows[0];
  return row?.promotion_id ? { promotionId: row.promotion_id, reason: row.reason ?? 'USED_UP' } : null;
}

async function insert(sql: Sql, id: string, p: NewPromotion, now: Date): Promise<'created' | 'code_taken'> {
  const { rows } = await sql.query(
    `insert into promotions.promotions (id, code, name, kind, value, currency, min_subtotal_minor, starts_at, ends_at, usage_limit,
       per_customer_limit, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict (code) do nothing returning id`,
    [id, p.code, p.name, p.kind, p.value, p.currency, p.minSubtotalMinor, p.startsAt, p.endsAt, p.usageLimit, p.perCustomerLimit, now],
  );
  return rows.length === 1 ? 'created' : 'code_taken';
}

async function list(sql: Sql, limit: number): Promise<Promotion[]> {
  const { rows } = await sql.query<PromotionRow>(`select ${COLUMNS} from promotions.promotions p order by p.created_at desc, p.id desc limit $1`, [limit]);
  return rows.map(toPromotion);
}

async function disable(sql: Sql, id: string, now: Date): Promise<Promotion | null> {
  const { rows } = await sql.query<PromotionRow>(
    `update promotions.promotions p set disabled_at = coalesce(p.disabled_at, $2) where p.id = $1 returning ${COLUMNS}`,
    [id, now],
  );
  return rows[0] ? toPromotion(rows[0]) : null;
}

/** The PromotionRepository port over PostgreSQL/PGlite. */
export const promotionRepository: PromotionRepository = { candidates, automatic, redeem, insert, list, disable };
