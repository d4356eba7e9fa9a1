import { createHash } from 'node:crypto';
import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { PAID_STATUSES } from '../domain/order-status.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { planRefund, type Refund, type RefundRequest } from '../domain/refund.ts';
import type { OrdersContext } from './orders.context.ts';
import { recordRefundRequest } from './record-refund-request.ts';

export interface RefundCommand {
  orderId: string;
  request: RefundRequest;
  reason: string;
  /** Who asked. */
  actor: AuditActor;
  /** Per order: the same key with the same request answers the first refund again. */
  idempotencyKey: string;
}

/**
 * An admin refunds part or all of a paid order. Priced and checked here, under the order's row
 * lock, against what was captured and every refund asked for before (so two admins cannot both
 * refund the last euro); stored with `OrderRefundRequested` in one transaction, so an
 * acknowledged refund survives a crash and payments pays it out once (gateway key per refund id).
 * The order's status does not change: a partly refunded order still ships.
 */
export async function requestRefund(ctx: OrdersContext, command: RefundCommand): Promise<Result<{ refund: Refund; created: boolean }, OrdersError>> {
  const requestHash = createHash('sha256').update(JSON.stringify([command.request, command.reason])).digest('hex');
  return ctx.db.transaction(async (tx) => {
    const order = await ctx.orders.lockOrder(tx, command.orderId);
    if (!order) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${command.orderId} not found` });
    const earlier = await ctx.refunds.findByKey(tx, order.id, command.idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== requestHash) {
        return fail({ code: 'ORDERS.IDEMPOTENCY_KEY_REUSED', message: 'This Idempotency-Key was used for a different refund of this order' });
      }
      const { requestHash: _, ...refund } = earlier;
      return ok({ refund, created: false });
    }
    if (!PAID_STATUSES.has(order.status)) {
      return fail({
        code: 'ORDERS.NOT_REFUNDABLE',
        status: order.status,
        message: `An order that is ${order.status} cannot be refunded${order.status === 'pending_payment' ? ' (nothing was captured; cancel it instead)' : ''}`,
      });
    }
    const previous = await ctx.refunds.listFor(tx, order.id);
    const planned = planRefund(order, previous, command.request);
    if (!planned.ok) return planned;
    const refund = await recordRefundRequest(ctx, tx, order, planned.value, {
      reason: command.reason,
      requestedBy: command.actor.userId,
      idempotencyKey: command.idempotencyKey,
      requestHash,
    });
    const refundedBefore = previous.reduce((sum, r) => sum + r.amountMinor, 0);
    await ctx.audit.record(tx, {
      actor: command.actor,
      action: 'order.refund',
      subject: { type: 'order', id: order.id },
      summary: `${order.orderNumber}: refund ${(refund.amountMinor / 100).toFixed(2)} ${order.currency} (${command.reason})`,
      before: { paidMinor: order.paidMinor, refundedMinor: refundedBefore },
      after: { paidMinor: order.paidMinor, refundedMinor: refundedBefore + refund.amountMinor, refund: { ...refund, createdAt: refund.createdAt.toISOString() } },
    });
    return ok({ refund, created: true });
  });
}
