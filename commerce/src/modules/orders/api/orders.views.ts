import type { AdminOrderDetail } from '../application/get-admin-order.ts';
import type { OrderDetail } from '../application/get-order.ts';
import type { Order } from '../domain/order.ts';
import { pricingOf } from '../domain/price-order.ts';
import type { Refund } from '../domain/refund.ts';

export const toSummary = (o: Order) => ({
  id: o.id,
  orderNumber: o.orderNumber,
  status: o.status,
  email: o.email,
  currency: o.currency,
  totalMinor: o.totalMinor,
  itemCount: o.lines.reduce((n, l) => n + l.quantity, 0),
  createdAt: o.createdAt.toISOString(),
});

export const toDetail = ({ order: o, timeline }: OrderDetail) => ({
  ...toSummary(o),
  subtotalMinor: o.subtotalMinor,
  shippingMinor: o.shippingMinor,
  ...pricingOf(o),
  lines: o.lines,
  shippingAddress: o.shippingAddress,
  shippingOption: o.shippingOption,
  cancelReason: o.cancelReason,
  updatedAt: o.updatedAt.toISOString(),
  timeline: timeline.map((t) => ({ from: t.from, to: t.to, cause: t.cause, at: t.at.toISOString() })),
});

export const toRefundView = (r: Refund) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  refundedAt: r.refundedAt?.toISOString() ?? null,
});

export const toAdminDetail = (d: AdminOrderDetail) => ({
  ...toDetail(d),
  userId: d.order.userId,
  paidMinor: d.order.paidMinor,
  refundableMinor: d.refundableMinor,
  lines: d.order.lines.map((l) => ({ ...l, refundableQuantity: Math.max(0, d.refundableQuantities.get(l.variantId) ?? 0) })),
  refunds: d.refunds.map(toRefundView),
  payment: d.payment,
  shipments: d.shipments,
  emails: d.emails,
  activity: d.activity.map((a) => ({ ...a, at: a.at.toISOString() })),
});
