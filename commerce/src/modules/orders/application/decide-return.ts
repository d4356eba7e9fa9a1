import { fail, ok, type Result } from '@shop/platform/result';
import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { ReturnApproved, ReturnRefused } from '../../../events/returns.events.ts';
import type { OrderReturn } from '../domain/order-return.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { lockReturn } from './lock-return.ts';
import type { OrdersContext } from './orders.context.ts';

export interface ReturnDecision {
  returnId: string;
  decision: 'approved' | 'refused';
  note: string | null;
  actor: AuditActor;
}

/**
 * Staff approve or refuse a requested return. Deciding the same way again answers the return as it
 * is (a retried click); the other way, or after receipt, is 409 ORDERS.RETURN_STEP_INVALID.
 * The order row is locked first, as every return and refund step does, so steps never interleave.
 */
export async function decideReturn(ctx: OrdersContext, command: ReturnDecision): Promise<Result<{ orderReturn: OrderReturn; changed: boolean }, OrdersError>> {
  return ctx.db.transaction(async (tx) => {
    const locked = await lockReturn(ctx, tx, command.returnId);
    if (!locked.ok) return locked;
    const { order, current } = locked.value;
    if (current.status === command.decision) return ok({ orderReturn: current, changed: false });
    if (current.status !== 'requested') {
      return fail({ code: 'ORDERS.RETURN_STEP_INVALID', status: current.status, message: `A return that is ${current.status} cannot be ${command.decision}` });
    }
    const now = ctx.now();
    const change = { status: command.decision, decisionNote: command.note, decidedBy: command.actor.userId, decidedAt: now } as const;
    await ctx.returns.update(tx, current.id, change);
    await ctx.orders.insertTimeline(tx, order.id, [
      { from: order.status, to: order.status, cause: `return ${command.decision}${command.note ? ` (${command.note})` : ''}`, eventId: null, at: now },
    ]);
    const payload = { orderId: order.id, orderNumber: order.orderNumber, returnId: current.id, note: command.note };
    await ctx.events.publish(tx, command.decision === 'approved' ? ReturnApproved.create(payload) : ReturnRefused.create(payload));
    await ctx.audit.record(tx, {
      actor: command.actor,
      action: `order.return_${command.decision}`,
      subject: { type: 'order', id: order.id },
      summary: `${order.orderNumber}: return ${command.decision}${command.note ? ` (${command.note})` : ''}`,
      before: { status: current.status },
      after: { status: command.decision },
    });
    return ok({ orderReturn: { ...current, ...change }, changed: true });
  });
}
