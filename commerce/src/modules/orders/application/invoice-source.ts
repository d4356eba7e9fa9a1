import type { Address } from '../domain/order.ts';
import type { OrdersContext } from './orders.context.ts';

export interface InvoiceOrderLine {
  variantId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
}

/** One rate of the order's tax breakdown. */
export interface InvoiceTaxLine {
  name: string;
  /** Basis points: 2000 = 20 %. */
  rateBps: number;
  taxableMinor: number;
  taxMinor: number;
}

/** What an invoice shows of an order: a snapshot, never re-read once the invoice is issued. */
export interface InvoiceOrder {
  id: string;
  orderNumber: string;
  userId: string | null;
  accessTokenHash: string | null;
  email: string;
  currency: string;
  lines: InvoiceOrderLine[];
  subtotalMinor: number;
  shippingMinor: number;
  shippingName: string;
  discountMinor: number;
  /** Empty when the order was priced without taxes. */
  taxLines: InvoiceTaxLine[];
  totalMinor: number;
  billingAddress: Address;
  placedAt: string;
}

export interface InvoiceRefund {
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  lines: Array<{ variantId: string; quantity: number }>;
  shipping: boolean;
  reason: string;
}

/** The order as its invoice shows it (the shipping address stands in for billing: checkout asks for one). */
export async function invoiceOrderOf(ctx: OrdersContext, orderId: string): Promise<InvoiceOrder | null> {
  const order = await ctx.orders.findOrder(ctx.db, orderId);
  if (!order) return null;
  return {
    id: order.id,
    orderNumber: order.orderNumber,
    userId: order.userId,
    accessTokenHash: order.accessTokenHash,
    email: order.email,
    currency: order.currency,
    lines: order.lines.map((l) => ({ variantId: l.variantId, sku: l.sku, name: l.name, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })),
    subtotalMinor: order.subtotalMinor,
    shippingMinor: order.shippingMinor,
    shippingName: order.shippingOption.name,
    discountMinor: 0,
    taxLines: [],
    totalMinor: order.totalMinor,
    billingAddress: order.shippingAddress,
    placedAt: order.createdAt.toISOString(),
  };
}

export async function refundOf(ctx: OrdersContext, refundId: string): Promise<InvoiceRefund | null> {
  const refund = await ctx.refunds.find(ctx.db, refundId);
  if (!refund) return null;
  return { id: refund.id, orderId: refund.orderId, amountMinor: refund.amountMinor, currency: refund.currency, lines: refund.lines, shipping: refund.shipping, reason: refund.reason };
}
