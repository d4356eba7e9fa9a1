import { cancelOrder } from './cancel-order.ts';
import type { OrdersContext } from './orders.context.ts';

const BATCH = 50;

/**
 * Cancels orders left unpaid for longer than `timeoutMinutes`, releasing their stock, in batches
 * of one transaction each. Orders are claimed with SKIP LOCKED, so several instances sweeping at
 * once never cancel one twice, and an order a payment handler is working on is left alone.
 * Returns how many were cancelled.
 */
export async function expireOrders(ctx: OrdersContext, timeoutMinutes: number): Promise<number> {
  let total = 0;
  for (;;) {
    const cutoff = new Date(ctx.now().getTime() - timeoutMinutes * 60_000);
    const cancelled = await ctx.db.transaction(async (tx) => {
      const orders = await ctx.orders.claimExpired(tx, cutoff, BATCH);
      for (const order of orders) await cancelOrder(ctx, tx, order, 'payment_expired', { reason: 'payment expired' });
      return orders.length;
    });
    total += cancelled;
    if (cancelled < BATCH) return total;
  }
}
