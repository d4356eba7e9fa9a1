import type { Sql } from '../../../shared/database/index.ts';
import type { OrderFacts, OrderFactsRepository } from '../application/ports/order-facts.repository.ts';


/** From `OrderCreated`: who ordered and the total. Keeps an anonymous id the checkout hook wrote first. */
export async function rememberOrder(sql: Sql, facts: { orderId: string; userId: string | null; currency: string; totalMinor: number }): Promise<void> {
  await sql.query(
    `insert into tracking.orders (order_id, user_id, currency, total_minor) values ($1, $2, $3, $4)
     on conflict (order_id) do update set user_id = excluded.user_id, currency = excluded.currency, total_minor = excluded.total_minor`,
    [facts.orderId, facts.userId, facts.currency, facts.totalMinor],
  );
}

/** From the checkout answer: the shopper's anonymous id, so the funnel joins up for guests too. */
export async function rememberCheckoutVisitor(sql: Sql, orderId: string, anonymousId: string): Promise<void> {
  await sql.query(
    `insert into tracking.orders (order_id, anonymous_id) values ($1, $2)
     on conflict (order_id) do update set anonymous_id = excluded.anonymous_id`,
    [orderId, anonymousId],
  );
}

export async function findOrder(sql: Sql, orderId: string): Promise<OrderFacts | null> {
  const { rows } = await sql.query<{ order_id: string; user_id: string | null; anonymous_id: string | null; currency: string | null; total_minor: string | number | null }>(
    'select order_id, user_id, anonymous_id, currency, total_minor from tracking.orders where order_id = $1',
    [orderId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    orderId: row.order_id,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    currency: row.currency,
    totalMinor: row.total_minor === null ? null : Number(row.total_minor),
  };
}

export async function forgetOrder(sql: Sql, orderId: string): Promise<void> {
  await sql.query('delete from tracking.orders where order_id = $1', [orderId]);
}

/** The OrderFactsRepository port over PostgreSQL/PGlite. */
export const orderFactsRepository: OrderFactsRepository = { rememberOrder, rememberCheckoutVisitor, findOrder, forgetOrder };
