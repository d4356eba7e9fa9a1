/**
 * The order's life, as a pure state machine. Every status change goes through `planTransition`,
 * so the HTTP layer, the event handlers and the expiry sweeper all obey one table.
 *
 *   pending_payment → paid → fulfilled (label bought) → shipped → delivered
 *   pending_payment → payment_failed → cancelled
 *   pending_payment → cancelled (payment expired, or an admin)
 *   paid → cancelled (admin; refunded) → refunded
 *   fulfilled → delivered (a carrier may report delivery without an in-transit scan first)
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'fulfilled',
  'shipped',
  'delivered',
  'payment_failed',
  'cancelled',
  'refunded',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'payment_failed', 'cancelled'],
  paid: ['fulfilled', 'cancelled'],
  fulfilled: ['shipped', 'delivered'],
  shipped: ['delivered'],
  delivered: [],
  payment_failed: ['cancelled'],
  cancelled: ['refunded'],
  refunded: [],
};

/**
 * - `apply`: a legal step; make it.
 * - `already`: the order is already there (a redelivered event); do nothing, succeed.
 * - `not_yet`: the target lies further down a path the order is still on (an event overtook
 *   the one before it, e.g. the label before the payment); retry later.
 * - `illegal`: the order can never get there from here (e.g. ship a cancelled order).
 */
export type TransitionPlan = 'apply' | 'already' | 'not_yet' | 'illegal';

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses reachable from `from` in one or more steps. */
export function reachableFrom(from: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>();
  const queue = [...TRANSITIONS[from]];
  while (queue.length > 0) {
    const next = queue.shift() as OrderStatus;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...TRANSITIONS[next]);
  }
  return seen;
}

export function planTransition(from: OrderStatus, to: OrderStatus): TransitionPlan {
  if (from === to) return 'already';
  if (canTransition(from, to)) return 'apply';
  return reachableFrom(from).has(to) ? 'not_yet' : 'illegal';
}

/** Statuses in which the order still holds reserved stock (released on cancel, committed on fulfil). */
export const HOLDS_RESERVATION: ReadonlySet<OrderStatus> = new Set(['pending_payment', 'paid', 'payment_failed']);

/** Statuses in which the customer's money has been taken. */
export const PAID_STATUSES: ReadonlySet<OrderStatus> = new Set(['paid', 'fulfilled', 'shipped', 'delivered']);
