import { fail, ok, type Result } from '@shop/platform/result';
import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { ReturnReceived } from '../../../events/returns.events.ts';
import type { OrderReturn, ReturnDisposition } from '../domain/order-return.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { planRefund, remainingQuantities } from '../domain/refund.ts';
import { lockReturn } from './lock-return.ts';
import type { OrdersContext } from './orders.context.ts';
import { recordRefundRequest } from './record-refund-request.ts';

export interface ReturnReceipt {
  returnId: string;
  disposition: ReturnDisposition;
  actor: AuditActor;
}

/**
 * The parcel of an approved return arrived. In one transaction, under the order's and the return's
 * row locks: the units go back on the shelf (or are written off), the refund of the returned units
 * is recorded with `OrderRefundRequested` (payments pays it out, keyed by the refund id), and the
 * return becomes `received`. Two staff receiving at once: the second waits on the locks, finds it
 * received and gets it back unchanged, so stock moves once and money goes back once.
 * Units an admin refunded earlier are not refunded again.
 */
export async function receiveReturn(ctx: OrdersContext, command: ReturnReceipt): Promise<Result<{ orderReturn: OrderReturn; changed: boolean }, OrdersError>> {
  return ctx.db.transaction(async (tx) => {
    const locked = await lockReturn(ctx, tx, command.returnId);
    if (!locked.ok) return locked;
    const { order, current } = locked.value;
    if (current.status === 'received') return ok({ orderReturn: current, changed: false });
    if (current.status !== 'approved') {
      return fail({ code: 'ORDERS.RETURN_STEP_INVALID', status: current.status, message: `A return that is ${current.status} cannot be received; approve it first` });
    }
    const now = ctx.now();
    const units = current.lines.reduce((sum, l) => sum + l.quantity, 0);
    if (command.disposition === 'restock') {
      await ctx.catalog.restockReturned(tx, current.lines, { reason: `return of ${order.orderNumber} restocked`, actorId: command.actor.userId });
    }

    const previous = await ctx.refunds.listFor(tx, order.id);
    const left = remainingQuantities(order, previous);
    const lines = current.lines
      .map((l) => ({ variantId: l.variantId, quantity: Math.min(l.quantity, Math.max(0, left.get(l.variantId) ?? 0)) }))
      .filter((l) => l.quantity > 0);
    const planned = lines.length > 0 ? planRefund(order, previous, { kind: 'lines', lines, shipping: false }) : null;
    const refund =
      planned?.ok === true
        ? await recordRefundRequest(ctx, tx, order, planned.value, {
            reason: `return: ${current.reason}`.slice(0, 500),
            requestedBy: command.actor.userId,
            idempotencyKey: `return:${current.id}`,
            requestHash: current.id,
          })
        : null;

    const change = { status: 'received', disposition: command.disposition, refundId: refund?.id ?? null, refundMinor: refund?.amountMinor ?? 0, receivedBy: command.actor.userId, receivedAt: now } as const;
    await ctx.returns.update(tx, current.id, change);
    const money = refund ? `, ${(refund.amountMinor / 100).toFixed(2)} ${order.currency} refunded` : ', nothing left to refund';
    const cause = `return received: ${units} unit${units === 1 ? '' : 's'} ${command.disposition === 'restock' ? 'restocked' : 'written off'}${money}`;
    await ctx.orders.insertTimeline(tx, order.id, [{ from: order.status, to: order.status, cause, eventId: null, at: now }]);
    await ctx.events.publish(
      tx,
      ReturnReceived.create({
        orderId: order.id,
        orderNumber: order.orderNumber,
        returnId: current.id,
        disposition: command.disposition,
        refundId: refund?.id ?? null,
        refundMinor: refund?.amountMinor ?? 0,
        currency: order.currency,
      }),
    );
    await ctx.audit.record(tx, {
      actor: command.actor,
      action: 'order.return_received',
      subject: { type: 'order', id: order.id },
      summary: `${order.orderNumber}: ${cause}`,
      before: { status: current.status },
      after: { status: 'received', disposition: command.disposition, refundId: refund?.id ?? null },
    });
    return ok({ orderReturn: { ...current, ...change }, changed: true });
  });
}
