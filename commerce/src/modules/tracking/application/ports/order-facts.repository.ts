import type { Sql } from '../../../../shared/database/database.ts';

export interface OrderFacts {
  orderId: string;
  userId: string | null;
  anonymousId: string | null;
  currency: string | null;
  totalMinor: number | null;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface OrderFactsRepository {
  /** From `OrderCreated`: who ordered and the total. Keeps an anonymous id the checkout hook wrote first. */
  rememberOrder(sql: Sql, facts: { orderId: string; userId: string | null; currency: string; totalMinor: number }): Promise<void>;
  /** From the checkout answer: the shopper's anonymous id, so the funnel joins up for guests too. */
  rememberCheckoutVisitor(sql: Sql, orderId: string, anonymousId: string): Promise<void>;
  findOrder(sql: Sql, orderId: string): Promise<OrderFacts | null>;
  forgetOrder(sql: Sql, orderId: string): Promise<void>;
}
