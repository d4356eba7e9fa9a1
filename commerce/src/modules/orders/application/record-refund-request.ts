import type { Sql } from '../../../shared/database/database.ts';
import { OrderRefundRequested } from '../../../events/orders.events.ts';
import type { Order } from '../domain/order.ts';
import type { PlannedRefund, Refund } from '../domain/refund.ts';
import type { OrdersContext } from './orders.context.ts';

/**
 * Stores a priced refund and `OrderRefundRequested` in the caller's transaction (which holds the
 * order's row lock): payments pays it out once, keyed by the refund's id.
 */
export async function recordRefundRequest(
  ctx: OrdersContext,
  tx: Sql,
  order: Order,
  planned: PlannedRefund,
  request: { reason: string; requestedBy: string; idempotencyKey: string; requestHash: string },
): Promise<Refund> {
  const refund: Refund = {
    id: ctx.newId(),
    orderId: order.id,
    ...planned,
    currency: order.currency,
    reason: request.reason,
    status: 'requested',
    requestedBy: request.requestedBy,
    createdAt: ctx.now(),
    refundedAt: null,
  };
  await ctx.refunds.insert(tx, { ...refund, idempotencyKey: request.idempotencyKey, requestHash: request.requestHash });
  await ctx.events.publish(
    tx,
    OrderRefundRequested.create({
      orderId: order.id,
      orderNumber: order.orderNumber,
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      currency: order.currency,
      reason: request.reason,
    }),
  );
  return refund;
}
