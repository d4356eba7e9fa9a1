import { fail, ok, type Result } from '@shop/platform/result';
import type { Order } from './order.ts';
import type { OrdersError } from './orders.errors.ts';
import type { RefundLine } from './refund.ts';

/**
 * A customer's return of delivered units, as orders keeps it:
 *   requested → approved → received (restocked or written off; refunded)
 *   requested → refused
 */
export type ReturnStatus = 'requested' | 'approved' | 'refused' | 'received';
export type ReturnDisposition = 'restock' | 'write_off';

export interface OrderReturn {
  id: string;
  orderId: string;
  orderNumber: string;
  lines: RefundLine[];
  reason: string;
  status: ReturnStatus;
  /** Staff's note on approval or refusal. */
  decisionNote: string | null;
  decidedBy: string | null;
  disposition: ReturnDisposition | null;
  /** The refund the receipt asked payments for (orders.refunds), when anything was left to refund. */
  refundId: string | null;
  refundMinor: number | null;
  receivedBy: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  receivedAt: Date | null;
}

/** Returns that still hold units: anything not refused. */
export const holdsUnits = (r: Pick<OrderReturn, 'status'>): boolean => r.status !== 'refused';

/** Units of each line the customer may still send back: bought minus every return not refused. */
export function returnableQuantities(order: Pick<Order, 'lines'>, previous: readonly Pick<OrderReturn, 'lines' | 'status'>[]): Map<string, number> {
  const left = new Map<string, number>();
  for (const line of order.lines) left.set(line.variantId, (left.get(line.variantId) ?? 0) + line.quantity);
  for (const r of previous.filter(holdsUnits)) for (const l of r.lines) left.set(l.variantId, (left.get(l.variantId) ?? 0) - l.quantity);
  return left;
}

/** The last day a return may be asked for: `windowDays` after delivery. */
export const returnDeadline = (deliveredAt: Date, windowDays: number): Date => new Date(deliveredAt.getTime() + windowDays * 86_400_000);

/**
 * Checks a customer's return request against the order: delivered, within the window since
 * delivery, every line on the order and no more units than bought minus earlier returns.
 * Lines for the same variant are merged.
 */
export function planReturn(
  order: Order,
  deliveredAt: Date | null,
  previous: readonly OrderReturn[],
  lines: readonly RefundLine[],
  now: Date,
  windowDays: number,
): Result<RefundLine[], OrdersError> {
  if (order.status !== 'delivered' || deliveredAt === null) {
    return fail({ code: 'ORDERS.NOT_RETURNABLE', message: `Only delivered orders can be returned; this one is ${order.status}` });
  }
  const deadline = returnDeadline(deliveredAt, windowDays);
  if (now > deadline) {
    return fail({ code: 'ORDERS.NOT_RETURNABLE', message: `The ${windowDays}-day return window closed on ${deadline.toISOString().slice(0, 10)}` });
  }
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.variantId, (merged.get(l.variantId) ?? 0) + l.quantity);
  const left = returnableQuantities(order, previous);
  for (const [variantId, quantity] of merged) {
    const line = order.lines.find((l) => l.variantId === variantId);
    if (!line) return fail({ code: 'ORDERS.RETURN_LINE_INVALID', variantId, message: `The order has no line for variant ${variantId}` });
    const available = left.get(variantId) ?? 0;
    if (quantity > available) {
      return fail({ code: 'ORDERS.RETURN_LINE_INVALID', variantId, returnableQuantity: available, message: `Only ${available} of ${line.sku} can still be returned` });
    }
  }
  return ok([...merged].map(([variantId, quantity]) => ({ variantId, quantity })));
}
