import type { Address, Order } from '../domain/order.ts';
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
  taxMinor: number;
  /** Prices (and the total) include the tax; otherwise the tax is added to the total. */
  taxInclusive: boolean;
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

/**
 * The order's taxes per name and rate, lines and shipping together: the tax charged (rounded per line
 * at checkout, so the rows add up to the order's tax) and the base it was charged on (net of
 * discounts; without the tax when prices include it).
 */
export function taxBreakdown(order: Pick<Order, 'lines' | 'shippingMinor' | 'shippingDiscountMinor' | 'shippingTaxLines' | 'taxInclusive'>): InvoiceTaxLine[] {
  const rows = new Map<string, InvoiceTaxLine>();
  const add = (netMinor: number, taxLines: ReadonlyArray<{ name: string; rateBp: number; amountMinor: number }>) => {
    const ownTax = taxLines.reduce((sum, t) => sum + t.amountMinor, 0);
    const base = order.taxInclusive ? netMinor - ownTax : netMinor;
    for (const t of taxLines) {
      const key = `${t.name}\u0000${t.rateBp}`;
      const row = rows.get(key) ?? { name: t.name, rateBps: t.rateBp, taxableMinor: 0, taxMinor: 0 };
      row.taxableMinor += base;
      row.taxMinor += t.amountMinor;
      rows.set(key, row);
    }
  };
  for (const l of order.lines) add(l.unitPriceMinor * l.quantity - l.discountMinor, l.taxLines);
  add(order.shippingMinor - order.shippingDiscountMinor, order.shippingTaxLines);
  return [...rows.values()].sort((a, b) => b.rateBps - a.rateBps || a.name.localeCompare(b.name));
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
    discountMinor: order.discountMinor,
    taxLines: taxBreakdown(order),
    taxMinor: order.taxMinor,
    taxInclusive: order.taxInclusive,
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
