import type { OrderDetail } from '../application/get-order.ts';
import type { Order } from '../domain/order.ts';

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
  lines: o.lines,
  shippingAddress: o.shippingAddress,
  shippingOption: o.shippingOption,
  cancelReason: o.cancelReason,
  updatedAt: o.updatedAt.toISOString(),
  timeline: timeline.map((t) => ({ from: t.from, to: t.to, cause: t.cause, at: t.at.toISOString() })),
});
