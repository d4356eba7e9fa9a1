import type { Sql } from '../../../../shared/database/database.ts';

/** Counts for the back office's home: orders since a time and the queues that need someone. */
export interface OrderSummary {
  since: Date;
  ordersSince: number;
  /** Paid orders placed since, per currency (cancelled, failed and refunded ones excluded). */
  revenueSince: { currency: string; totalMinor: number }[];
  awaitingPayment: number;
  /** Paid or labelled, not yet handed to the carrier. */
  awaitingShipment: number;
}

export interface OrderSummaryQuery {
  summarize(db: Sql, since: Date): Promise<OrderSummary>;
}
