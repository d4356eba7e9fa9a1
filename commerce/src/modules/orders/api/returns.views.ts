import type { OrderReturns } from '../application/list-returns.ts';
import type { OrderReturn } from '../domain/order-return.ts';

export const toReturnView = (r: OrderReturn) => ({
  id: r.id,
  orderId: r.orderId,
  orderNumber: r.orderNumber,
  lines: r.lines,
  reason: r.reason,
  status: r.status,
  decisionNote: r.decisionNote,
  disposition: r.disposition,
  refundId: r.refundId,
  refundMinor: r.refundMinor,
  createdAt: r.createdAt.toISOString(),
  decidedAt: r.decidedAt?.toISOString() ?? null,
  receivedAt: r.receivedAt?.toISOString() ?? null,
});

export const toOrderReturnsView = (o: OrderReturns) => ({
  returns: o.returns.map(toReturnView),
  returnableUntil: o.returnableUntil?.toISOString() ?? null,
  lines: [...o.returnable].map(([variantId, n]) => ({ variantId, returnableQuantity: Math.max(0, n) })),
});
