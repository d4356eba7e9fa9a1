import type { Sql } from '../../../shared/database/index.ts';
import type { Address, AppliedPromotion, CancelReason, Order, OrderLine, OrderTimelineEntry, TaxLine } from '../domain/order.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { NewOrder, OrderFilter, OrderRepository, StatusChange, StatusStep } from '../application/ports/order.repository.ts';

interface OrderRow {
  id: string;
  order_number: string;
  status: OrderStatus;
  user_id: string | null;
  email: string;
  currency: string;
  subtotal_minor: number;
  shipping_minor: number;
  total_minor: number;
  lines: OrderLine[];
  shipping_address: Address;
  shipping_option: Order['shippingOption'];
  paid_minor: number;
  cancel_reason: CancelReason | null;
  access_token_hash: string | null;
  region_id: string | null;
  tax_inclusive: boolean;
  discount_minor: number;
  shipping_discount_minor: number;
  shipping_tax_minor: number;
  shipping_tax_lines: TaxLine[];
  tax_minor: number;
  promotions: AppliedPromotion[];
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = `id, order_number, status, user_id, email, currency, subtotal_minor, shipping_minor, total_minor, lines,
  shipping_address, shipping_option, paid_minor, cancel_reason, access_token_hash, region_id, tax_inclusive, discount_minor,
  shipping_discount_minor, shipping_tax_minor, shipping_tax_lines, tax_minor, promotions, created_at, updated_at`;

/** Lines stored before taxes and promotions existed carry neither: they read as undiscounted and untaxed. */
const withPricing = (l: Partial<OrderLine> & Omit<OrderLine, 'taxClass' | 'discountMinor' | 'taxMinor' | 'taxLines'>): OrderLine => ({
  ...l,
  taxClass: l.taxClass ?? 'standard',
  discountMinor: Number(l.discountMinor ?? 0),
  taxMinor: Number(l.taxMinor ?? 0),
  taxLines: l.taxLines ?? [],
});

const toOrder = (r: OrderRow): Order => ({
  id: r.id,
  orderNumber: r.order_number,
  status: r.status,
  userId: r.user_id,
  email: r.email,
  currency: r.currency,
  subtotalMinor: r.subtotal_minor,
  shippingMinor: r.shipping_minor,
  totalMinor: r.total_minor,
  lines: r.lines.map(withPricing),
  shippingAddress: r.shipping_address,
  shippingOption: r.shipping_option,
  paidMinor: r.paid_minor,
  cancelReason: r.cancel_reason,
  accessTokenHash: r.access_token_hash,
  regionId: r.region_id,
  taxInclusive: r.tax_inclusive,
  discountMinor: Number(r.discount_minor),
  shippingDiscountMinor: Number(r.shipping_discount_minor),
  shippingTaxMinor: Number(r.shipping_tax_minor),
  shippingTaxLines: r.shipping_tax_lines,
  taxMinor: Number(r.tax_minor),
  promotions: r.promotions,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/**
 * Checkout's writes to the orders schema in one round trip: the pending order (unless one is
 * already pending for the same checkout identity), its first timeline step and the answer stored
 * under the Idempotency-Key, which names the order number the insert drew. When the identity is
 * taken nothing is written (orderNumber null); when the key is taken the order is written but
 * `requestStored` is false, and the caller rolls back.
 */
export async function insertPlacedOrder(
  sql: Sql,
  o: NewOrder,
  first: OrderTimelineEntry,
  request: { ownerKey: string; idempotencyKey: string; requestHash: string },
): Promise<{ orderNumber: string | null; requestStored: boolean }> {
  const { rows } = await sql.query<{ order_number: string | null; request_stored: boolean }>(
    `with placed as (
       insert into orders.orders (id, status, user_id, owner_key, email, currency, subtotal_minor, shipping_minor, total_minor,
         lines, shipping_address, shipping_option, access_token_hash, checkout_identity, created_at, updated_at,
         region_id, tax_inclusive, discount_minor, shipping_discount_minor, shipping_tax_minor, shipping_tax_lines, tax_minor, promotions)
       values ($1, 'pending_payment', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14,
         $22, $23, $24, $25, $26, $27, $28, $29)
       on conflict (checkout_identity) where status = 'pending_payment' do nothing
       returning id, order_number, status, total_minor, currency
     ),
     step as (
       insert into orders.order_events (order_id, from_status, to_status, cause, event_id, at)
       select id, $15::text, $16::text, $17::text, $18::uuid, $19::timestamptz from placed
     ),
     answer as (
       insert into orders.checkout_requests (owner_key, idempotency_key, request_hash, order_id, response, created_at)
       select $3::text, $20::text, $21::text, id,
              jsonb_build_object('orderId', id, 'orderNumber', order_number, 'status', status, 'totalMinor', total_minor, 'currency', currency),
              $14::timestamptz
         from placed
       on conflict do nothing
       returning 1
     )
     select (select order_number from placed) as order_number, exists (select 1 from answer) as request_stored`,
    [
      o.id,
      o.userId,
      o.ownerKey,
      o.email,
      o.currency,
      o.subtotalMinor,
      o.shippingMinor,
      o.totalMinor,
      JSON.stringify(o.lines),
      JSON.stringify(o.shippingAddress),
      JSON.stringify(o.shippingOption),
      o.accessTokenHash,
      o.checkoutIdentity,
      o.createdAt,
      first.from,
      first.to,
      first.cause,
      first.eventId,
      first.at,
      request.idempotencyKey,
      request.requestHash,
      o.regionId,
      o.taxInclusive,
      o.discountMinor,
      o.shippingDiscountMinor,
      o.shippingTaxMinor,
      JSON.stringify(o.shippingTaxLines),
      o.taxMinor,
      JSON.stringify(o.promotions),
    ],
  );
  return { orderNumber: rows[0]?.order_number ?? null, requestStored: rows[0]?.request_stored ?? false };
}

/** The newest order placed from this checkout identity. */
export async function findByCheckoutIdentity(sql: Sql, identity: string): Promise<Order | null> {
  const { rows } = await sql.query<OrderRow>(
    `select ${COLUMNS} from orders.orders where checkout_identity = $1 order by created_at desc limit 1`,
    [identity],
  );
  return rows[0] ? toOrder(rows[0]) : null;
}

export async function findOrder(sql: Sql, id: string): Promise<Order | null> {
  const { rows } = await sql.query<OrderRow>(`select ${COLUMNS} from orders.orders where id = $1`, [id]);
  return rows[0] ? toOrder(rows[0]) : null;
}

/** The order and its timeline (oldest step first) in one round trip: what an order page shows. */
export async function findOrderWithTimeline(sql: Sql, id: string): Promise<{ order: Order; timeline: OrderTimelineEntry[] } | null> {
  const { rows } = await sql.query<OrderRow & { timeline: Array<{ from_status: OrderStatus | null; to_status: OrderStatus; cause: string; event_id: string | null; at: string }> }>(
    `select ${COLUMNS},
            coalesce((select json_agg(json_build_object('from_status', e.from_status, 'to_status', e.to_status, 'cause', e.cause,
                                                        'event_id', e.event_id, 'at', e.at) order by e.id)
                        from orders.order_events e where e.order_id = o.id), '[]'::json) as timeline
       from orders.orders o where o.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    order: toOrder(row),
    timeline: row.timeline.map((r) => ({ from: r.from_status, to: r.to_status, cause: r.cause, eventId: r.event_id, at: new Date(r.at) })),
  };
}

/** The order, its row locked until the transaction ends: every status change starts here. */
export async function lockOrder(tx: Sql, id: string): Promise<Order | null> {
  const { rows } = await tx.query<OrderRow>(`select ${COLUMNS} from orders.orders where id = $1 for update`, [id]);
  return rows[0] ? toOrder(rows[0]) : null;
}

/**
 * Up to `limit` orders still unpaid since before `cutoff`, locked. SKIP LOCKED: several
 * instances sweeping at once each take different orders, and an order a payment handler holds
 * is left for the next sweep.
 */
export async function claimExpired(tx: Sql, cutoff: Date, limit: number): Promise<Order[]> {
  const { rows } = await tx.query<OrderRow>(
    `select ${COLUMNS} from orders.orders where status = 'pending_payment' and created_at < $1
     order by created_at limit $2 for update skip locked`,
    [cutoff, limit],
  );
  return rows.map(toOrder);
}


/** The status change and its timeline step in one round trip; the caller holds the row lock. */
export async function moveStatus(tx: Sql, id: string, from: OrderStatus, change: StatusChange, step: StatusStep): Promise<void> {
  await tx.query(
    `with moved as (
       update orders.orders set status = $2::text, paid_minor = coalesce($3::bigint, paid_minor),
         cancel_reason = coalesce($4::text, cancel_reason), updated_at = $5::timestamptz
        where id = $1 returning id
     )
     insert into orders.order_events (order_id, from_status, to_status, cause, event_id, at)
     select id, $6::text, $2::text, $7::text, $8::uuid, $5::timestamptz from moved`,
    [id, change.status, change.paidMinor ?? null, change.cancelReason ?? null, step.at, from, step.cause, step.eventId],
  );
}

/**
 * Lock, move and timeline in one round trip. The move joins the locked row (the queue pattern:
 * `select ... for update` feeding an `update ... from`), so it sees the status the lock returned,
 * the newest committed one, and the answer is the row as it was before the move.
 */
export async function lockAndMove(
  tx: Sql,
  id: string,
  movableFrom: readonly OrderStatus[],
  change: StatusChange,
  step: StatusStep,
): Promise<{ before: Order; moved: boolean } | null> {
  const { rows } = await tx.query<OrderRow & { moved: boolean }>(
    `with cur as (select ${COLUMNS} from orders.orders where id = $1 for update),
     moved as (
       update orders.orders o set status = $2::text, paid_minor = coalesce($3::bigint, o.paid_minor),
         cancel_reason = coalesce($4::text, o.cancel_reason), updated_at = $5::timestamptz
         from cur where o.id = cur.id and cur.status = any($6::text[])
       returning o.id, cur.status as from_status
     ),
     step as (
       insert into orders.order_events (order_id, from_status, to_status, cause, event_id, at)
       select id, from_status, $2::text, $7::text, $8::uuid, $5::timestamptz from moved
     )
     select cur.*, exists (select 1 from moved) as moved from cur`,
    [id, change.status, change.paidMinor ?? null, change.cancelReason ?? null, step.at, movableFrom, step.cause, step.eventId],
  );
  const row = rows[0];
  return row ? { before: toOrder(row), moved: row.moved } : null;
}

/** Appends timeline rows, one statement for any number. */
export async function insertTimeline(tx: Sql, orderId: string, entries: readonly OrderTimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `insert into orders.order_events (order_id, from_status, to_status, cause, event_id, at)
     select $1, e->>'from_status', e->>'to_status', e->>'cause', (e->>'event_id')::uuid, (e->>'at')::timestamptz
     from jsonb_array_elements($2::jsonb) with ordinality as x(e, n)
     order by n`,
    [orderId, JSON.stringify(entries.map((e) => ({ from_status: e.from, to_status: e.to, cause: e.cause, event_id: e.eventId, at: e.at.toISOString() })))],
  );
}

export async function timelineOf(sql: Sql, orderId: string): Promise<OrderTimelineEntry[]> {
  const { rows } = await sql.query<{ from_status: OrderStatus | null; to_status: OrderStatus; cause: string; event_id: string | null; at: Date | string }>(
    `select from_status, to_status, cause, event_id, at from orders.order_events where order_id = $1 order by id`,
    [orderId],
  );
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, cause: r.cause, eventId: r.event_id, at: new Date(r.at) }));
}


/** Newest first, keyset paginated on (created_at, id): stable under concurrent inserts. */
export async function listOrders(sql: Sql, f: OrderFilter): Promise<Order[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (f.userId !== undefined) add((p) => `user_id = ${p}`, f.userId);
  if (f.status !== undefined) add((p) => `status = ${p}`, f.status);
  if (f.email !== undefined) add((p) => `lower(email) = lower(${p})`, f.email);
  if (f.orderNumber !== undefined) add((p) => `lower(order_number) = lower(${p})`, f.orderNumber);
  if (f.from !== undefined) add((p) => `created_at >= ${p}`, f.from);
  if (f.to !== undefined) add((p) => `created_at < ${p}`, f.to);
  if (f.after) {
    params.push(f.after.createdAt, f.after.id);
    where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(f.limit);
  const { rows } = await sql.query<OrderRow>(
    `select ${COLUMNS} from orders.orders ${where.length ? `where ${where.join(' and ')}` : ''}
     order by created_at desc, id desc limit $${params.length}`,
    params,
  );
  return rows.map(toOrder);
}

/** The OrderRepository port over PostgreSQL/PGlite. */
export const orderRepository: OrderRepository = {
  insertPlacedOrder,
  findByCheckoutIdentity,
  findOrder,
  findOrderWithTimeline,
  lockOrder,
  claimExpired,
  moveStatus,
  lockAndMove,
  insertTimeline,
  timelineOf,
  listOrders,
};
