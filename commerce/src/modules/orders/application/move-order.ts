import type { Sql } from '../../../shared/database/database.ts';
import type { Order } from '../domain/order.ts';
import { planTransition, type OrderStatus, type TransitionPlan } from '../domain/order-status.ts';
import type { StatusChange } from './ports/order.repository.ts';
import type { OrdersContext } from './orders.context.ts';

export interface Cause {
  /** e.g. `payment completed`, `admin <id>`, `payment expired` */
  reason: string;
  eventId?: string;
}

/**
 * Moves a locked order one step, if the state machine allows it, and writes the step to the
 * timeline. Returns the plan so callers decide what `already`, `not_yet` and `illegal` mean for them.
 * The caller holds the order's row lock (`lockOrder`) in `tx`.
 */
export async function moveOrder(
  ctx: OrdersContext,
  tx: Sql,
  order: Order,
  to: OrderStatus,
  cause: Cause,
  extra: Omit<StatusChange, 'status'> = {},
): Promise<TransitionPlan> {
  const plan = planTransition(order.status, to);
  if (plan !== 'apply') return plan;
  const now = ctx.now();
  await ctx.orders.updateStatus(tx, order.id, { status: to, ...extra }, now);
  await ctx.orders.insertTimeline(tx, order.id, [{ from: order.status, to, cause: cause.reason, eventId: cause.eventId ?? null, at: now }]);
  order.status = to;
  if (extra.paidMinor !== undefined) order.paidMinor = extra.paidMinor;
  if (extra.cancelReason !== undefined) order.cancelReason = extra.cancelReason;
  return plan;
}

export const stockLinesOf = (order: Order) => order.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity }));
