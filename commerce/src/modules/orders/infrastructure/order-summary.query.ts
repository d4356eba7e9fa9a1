import type { OrderSummaryQuery } from '../application/ports/order-summary.query.ts';

/** One statement over `orders.orders`; the queue counts use the status index, the day's figures the creation index. */
export const orderSummaryQuery: OrderSummaryQuery = {
  async summarize(db, since) {
    const { rows } = await db.query<{ kind: string; currency: string | null; n: string; total: string | null }>(
      `select 'since' as kind, currency, count(*)::text as n,
              sum(total_minor) filter (where status in ('paid', 'fulfilled', 'shipped', 'delivered'))::text as total
         from orders.orders where created_at >= $1 group by currency
       union all
       select status, null, count(*)::text, null from orders.orders
        where status in ('pending_payment', 'paid', 'fulfilled') group by status`,
      [since],
    );
    const count = (kind: string) => rows.filter((r) => r.kind === kind).reduce((n, r) => n + Number(r.n), 0);
    return {
      since,
      ordersSince: count('since'),
      revenueSince: rows
        .filter((r) => r.kind === 'since' && r.currency && r.total !== null)
        .map((r) => ({ currency: r.currency!, totalMinor: Number(r.total) })),
      awaitingPayment: count('pending_payment'),
      awaitingShipment: count('paid') + count('fulfilled'),
    };
  },
};
