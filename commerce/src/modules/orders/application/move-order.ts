import type { Sql } from '../../../shared/database/database.ts';
import type { Order } from '../domain/order.ts';
import { canTransition, ORDER_STATUSES, planTransition, type OrderStatus, type TransitionPlan } from '../domain/order-status.ts';
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
  await ctx.orders.moveStatus(tx, order.id, order.status, { status: to, ...extra }, { cause: cause.reason, eventId: cause.eventId ?? null, at: now });
  applyInMemory(order, to, extra, now);
  return plan;
}

/** The statuses from which a step to `to` applies, per the state machine: what the database may move in one statement. */
const movableTo = new Map(ORDER_STATUSES.map((to) => [to, ORDER_STATUSES.filter((from) => canTransition(from, to))]));

/**
 * Locks the order and moves it one step, when the state machine allows it, in one round trip
 * (the event handlers' path: lock, move and timeline were three). Resolves null for an unknown
 * order; otherwise the locked order, as it is after the step, and the plan that was made from
 * the status the lock found.
 */
export async function lockAndMoveOrder(
  ctx: OrdersContext,
  tx: Sql,
  orderId: string,
  to: OrderStatus,
  cause: Cause,
  extra: Omit<StatusChange, 'status'> = {},
): Promise<{ order: Order; plan: TransitionPlan } | null> {
  const now = ctx.now();
  const result = await ctx.orders.lockAndMove(tx, orderId, movableTo.get(to)!, { status: to, ...extra }, { cause: cause.reason, eventId: cause.eventId ?? null, at: now });
  if (!result) return null;
  const { before: order, moved } = result;
  const plan = planTransition(order.status, to);
  // The statement decided with the same table; a disagreement is a bug, never a retry.
  if ((plan === 'apply') !== moved) throw new Error(`order ${orderId}: ${order.status} → ${to} planned ${plan}, but the database ${moved ? 'moved' : 'did not move'} it`);
  if (moved) applyInMemory(order, to, extra, now);
  return { order, plan };
}

function applyInMemory(order: Order, to: OrderStatus, extra: Omit<StatusChange, 'status'>, now: Date): void {
  order.status = to;
  order.updatedAt = now;
  if (extra.paidMinor !== undefined) order.paidMinor = extra.paidMinor;
  if (extra.cancelReason !== undefined) order.cancelReason = extra.cancelReason;
}

export const stockLinesOf = (order: Order) => order.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity }));
