import { fail, ok, type Result } from '@shop/platform/result';
import type { Order, OrderTimelineEntry } from '../domain/order.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { refundableMinor, remainingQuantities, type Refund } from '../domain/refund.ts';
import type { OrderEmailView, OrderPaymentView, OrderShipmentView } from './ports/order-activity.port.ts';
import type { OrdersContext } from './orders.context.ts';

/** One line of the admin's merged history of an order. */
export interface ActivityEntry {
  at: Date;
  kind: 'status' | 'refund' | 'shipment' | 'email';
  summary: string;
}

export interface AdminOrderDetail {
  order: Order;
  timeline: OrderTimelineEntry[];
  refunds: Refund[];
  refundableMinor: number;
  /** Units of each line not yet refunded, by variant id. */
  refundableQuantities: Map<string, number>;
  payment: OrderPaymentView | null;
  shipments: OrderShipmentView[];
  emails: OrderEmailView[];
  /** Status changes, refunds, labels and emails, oldest first. */
  activity: ActivityEntry[];
}

/**
 * Everything an admin sees about one order: orders' own record (lines, addresses, status
 * timeline, refunds) and what payments, shipping and notifications report through their public
 * APIs, merged into one history. Asked at read time, so it is as fresh as each module.
 */
export async function getAdminOrder(ctx: OrdersContext, id: string): Promise<Result<AdminOrderDetail, OrdersError>> {
  const order = await ctx.orders.findOrder(ctx.db, id);
  if (!order) return fail({ code: 'ORDERS.NOT_FOUND', message: `Order ${id} not found` });
  const [timeline, refunds, payment, shipments, emails] = await Promise.all([
    ctx.orders.timelineOf(ctx.db, id),
    ctx.refunds.listFor(ctx.db, id),
    ctx.activity.paymentOf(id),
    ctx.activity.shipmentsOf(id),
    ctx.activity.emailsOf(id),
  ]);
  return ok({
    order,
    timeline,
    refunds,
    refundableMinor: Math.max(0, refundableMinor(order, refunds)),
    refundableQuantities: remainingQuantities(order, refunds),
    payment,
    shipments,
    emails,
    activity: mergeActivity(timeline, refunds, shipments, emails, order.currency),
  });
}

export function mergeActivity(
  timeline: readonly OrderTimelineEntry[],
  refunds: readonly Refund[],
  shipments: readonly OrderShipmentView[],
  emails: readonly OrderEmailView[],
  currency: string,
): ActivityEntry[] {
  const money = (minor: number) => `${(minor / 100).toFixed(2)} ${currency}`;
  const entries: ActivityEntry[] = [
    ...timeline.map((t) => ({ at: t.at, kind: 'status' as const, summary: `${t.from ?? 'placed'} → ${t.to} (${t.cause})` })),
    ...refunds.flatMap((r) => [
      { at: r.createdAt, kind: 'refund' as const, summary: `refund of ${money(r.amountMinor)} requested by ${r.requestedBy}: ${r.reason}` },
      ...(r.refundedAt ? [{ at: r.refundedAt, kind: 'refund' as const, summary: `refund of ${money(r.amountMinor)} paid out` }] : []),
    ]),
    ...shipments.map((s) => ({ at: new Date(s.createdAt), kind: 'shipment' as const, summary: `label ${s.carrier} ${s.trackingNumber} (now ${s.status})` })),
    ...emails.map((e) => ({ at: new Date(e.sentAt), kind: 'email' as const, summary: `email "${e.subject}" to ${e.to}` })),
  ];
  // Stable: equal instants keep the order above (a status change before the email it caused).
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i).map(({ e }) => e);
}
