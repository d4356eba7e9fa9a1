import { fail, ok, type Result } from '@shop/platform/result';
import type { Order } from './order.ts';
import type { OrdersError } from './orders.errors.ts';

/** Units of one order line given back. */
export interface RefundLine {
  variantId: string;
  quantity: number;
}

/**
 * What an admin asks to give back:
 * - `full`: everything still refundable (the remaining lines, shipping if not yet refunded);
 * - `lines`: chosen units of chosen lines, and shipping if `shipping` is set;
 * - `amount`: a sum not tied to any line (a goodwill gesture).
 */
export type RefundRequest =
  | { kind: 'full' }
  | { kind: 'lines'; lines: RefundLine[]; shipping: boolean }
  | { kind: 'amount'; amountMinor: number };

export type RefundStatus = 'requested' | 'refunded';

/** One refund of an order, as orders records it. */
export interface Refund {
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  lines: RefundLine[];
  shipping: boolean;
  reason: string;
  status: RefundStatus;
  requestedBy: string;
  createdAt: Date;
  refundedAt: Date | null;
}

export interface PlannedRefund {
  amountMinor: number;
  lines: RefundLine[];
  shipping: boolean;
}

/** Money still refundable: what was captured minus every refund asked for, paid out or not. */
export const refundableMinor = (order: Pick<Order, 'paidMinor'>, previous: readonly Pick<Refund, 'amountMinor'>[]): number =>
  order.paidMinor - previous.reduce((sum, r) => sum + r.amountMinor, 0);

/** Units of each line not yet refunded. */
export function remainingQuantities(order: Pick<Order, 'lines'>, previous: readonly Pick<Refund, 'lines'>[]): Map<string, number> {
  const left = new Map<string, number>();
  for (const line of order.lines) left.set(line.variantId, (left.get(line.variantId) ?? 0) + line.quantity);
  for (const refund of previous) for (const l of refund.lines) left.set(l.variantId, (left.get(l.variantId) ?? 0) - l.quantity);
  return left;
}

/**
 * What the shopper paid for a line: its amount after its discount, plus its tax when prices
 * exclude tax (included tax is already inside the amount).
 */
export const linePaidMinor = (order: Pick<Order, 'taxInclusive'>, line: Order['lines'][number]): number =>
  line.unitPriceMinor * line.quantity - line.discountMinor + (order.taxInclusive ? 0 : line.taxMinor);

/** What the shopper paid for shipping, the same way. */
export const shippingPaidMinor = (order: Pick<Order, 'taxInclusive' | 'shippingMinor' | 'shippingDiscountMinor' | 'shippingTaxMinor'>): number =>
  order.shippingMinor - order.shippingDiscountMinor + (order.taxInclusive ? 0 : order.shippingTaxMinor);

/**
 * `units` more units of a line refunded after `before` already were: the paid amount prorated
 * per unit, cumulatively floored, so refunding every unit in any number of steps gives back the
 * line's paid amount exactly (a discounted line refunds its discounted price).
 */
export const unitsRefundMinor = (paidMinor: number, quantity: number, before: number, units: number): number =>
  Math.floor((paidMinor * (before + units)) / quantity) - Math.floor((paidMinor * before) / quantity);

/**
 * Prices a refund against the order and the refunds before it. Line amounts are unit price times
 * units, scaled by captured/total when the capture differs from the order total, so the shares of
 * all lines and shipping never add up to more than was captured; `full` takes exactly the
 * remainder, so partial refunds followed by a full one give back the capture to the cent.
 */
export function planRefund(order: Order, previous: readonly Refund[], request: RefundRequest): Result<PlannedRefund, OrdersError> {
  const refundable = refundableMinor(order, previous);
  const left = remainingQuantities(order, previous);
  const shippingRefunded = previous.some((r) => r.shipping);
  const money = (minor: number) => `${(minor / 100).toFixed(2)} ${order.currency}`;
  const exceeds = (wanted: number) =>
    fail<OrdersError>({
      code: 'ORDERS.REFUND_EXCEEDS_CAPTURED',
      refundableMinor: refundable,
      message: refundable <= 0 ? 'Nothing is left to refund on this order' : `Refunding ${money(wanted)} would exceed the ${money(refundable)} still refundable`,
    });

  if (request.kind === 'full') {
    if (refundable <= 0) return exceeds(0);
    const lines = [...left].filter(([, quantity]) => quantity > 0).map(([variantId, quantity]) => ({ variantId, quantity }));
    return ok({ amountMinor: refundable, lines, shipping: !shippingRefunded && shippingPaidMinor(order) > 0 });
  }
  if (request.kind === 'amount') {
    return request.amountMinor > refundable ? exceeds(request.amountMinor) : ok({ amountMinor: request.amountMinor, lines: [], shipping: false });
  }

  const merged = new Map<string, number>();
  for (const l of request.lines) merged.set(l.variantId, (merged.get(l.variantId) ?? 0) + l.quantity);
  let listMinor = 0;
  for (const [variantId, quantity] of merged) {
    const line = order.lines.find((l) => l.variantId === variantId);
    if (!line) return fail({ code: 'ORDERS.REFUND_LINE_INVALID', variantId, message: `The order has no line for variant ${variantId}` });
    const available = left.get(variantId) ?? 0;
    if (quantity > available) {
      return fail({
        code: 'ORDERS.REFUND_LINE_INVALID',
        variantId,
        refundableQuantity: available,
        message: `Only ${available} of ${line.sku} can still be refunded`,
      });
    }
    listMinor += unitsRefundMinor(linePaidMinor(order, line), line.quantity, line.quantity - available, quantity);
  }
  if (request.shipping && shippingRefunded) {
    return fail({ code: 'ORDERS.REFUND_LINE_INVALID', message: 'Shipping was already refunded' });
  }
  if (request.shipping) listMinor += shippingPaidMinor(order);
  if (listMinor <= 0) return fail({ code: 'ORDERS.REFUND_LINE_INVALID', message: 'Choose at least one unit or shipping to refund' });
  const amountMinor = order.paidMinor === order.totalMinor ? listMinor : Math.floor((listMinor * order.paidMinor) / order.totalMinor);
  if (amountMinor > refundable) return exceeds(amountMinor);
  return ok({ amountMinor, lines: [...merged].map(([variantId, quantity]) => ({ variantId, quantity })), shipping: request.shipping });
}
