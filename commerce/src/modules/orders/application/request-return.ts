import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '@shop/platform/result';
import { ReturnRequested } from '../../../events/returns.events.ts';
import { planReturn, type OrderReturn } from '../domain/order-return.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import type { RefundLine } from '../domain/refund.ts';
import { canView, type Viewer } from './get-order.ts';
import type { OrdersContext } from './orders.context.ts';

export interface ReturnCommand {
  orderId: string;
  lines: RefundLine[];
  reason: string;
  viewer: Viewer;
  /** Per order: the same key with the same request answers the first return again. */
  idempotencyKey: string;
}

/**
 * The order's customer (or a guest with its token) asks to send delivered units back. Checked under
 * the order's row lock against earlier returns, so two requests at once cannot return one unit twice;
 * stored with `ReturnRequested` and a timeline step in one transaction.
 */
export async function requestReturn(ctx: OrdersContext, command: ReturnCommand): Promise<Result<{ orderReturn: OrderReturn; created: boolean }, OrdersError>> {
  const requestHash = createHash('sha256').update(JSON.stringify([command.lines, command.reason])).digest('hex');
  return ctx.db.transaction(async (tx) => {
    const order = await ctx.orders.lockOrder(tx, command.orderId);
    if (!order || !canView(order, command.viewer)) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${command.orderId} not found` });
    const earlier = await ctx.returns.findByKey(tx, order.id, command.idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== requestHash) {
        return fail({ code: 'ORDERS.IDEMPOTENCY_KEY_REUSED', message: 'This Idempotency-Key was used for a different return of this order' });
      }
      const { requestHash: _, ...orderReturn } = earlier;
      return ok({ orderReturn, created: false });
    }
    const timeline = await ctx.orders.timelineOf(tx, order.id);
    const deliveredAt = timeline.findLast((t) => t.to === 'delivered' && t.from !== 'delivered')?.at ?? null;
    const now = ctx.now();
    const planned = planReturn(order, deliveredAt, await ctx.returns.listFor(tx, order.id), command.lines, now, ctx.returnWindowDays);
    if (!planned.ok) return planned;
    const orderReturn: OrderReturn = {
      id: ctx.newId(),
      orderId: order.id,
      orderNumber: order.orderNumber,
      lines: planned.value,
      reason: command.reason,
      status: 'requested',
      decisionNote: null,
      decidedBy: null,
      disposition: null,
      refundId: null,
      refundMinor: null,
      receivedBy: null,
      createdAt: now,
      decidedAt: null,
      receivedAt: null,
    };
    await ctx.returns.insert(tx, { ...orderReturn, idempotencyKey: command.idempotencyKey, requestHash });
    const units = orderReturn.lines.reduce((sum, l) => sum + l.quantity, 0);
    await ctx.orders.insertTimeline(tx, order.id, [
      { from: order.status, to: order.status, cause: `return requested: ${units} unit${units === 1 ? '' : 's'} (${command.reason})`, eventId: null, at: now },
    ]);
    await ctx.events.publish(
      tx,
      ReturnRequested.create({ orderId: order.id, orderNumber: order.orderNumber, returnId: orderReturn.id, lines: orderReturn.lines, reason: command.reason }),
    );
    return ok({ orderReturn, created: true });
  });
}
