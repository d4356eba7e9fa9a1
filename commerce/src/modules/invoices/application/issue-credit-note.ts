import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import type { TaxBreakdownLine } from '../domain/invoice-document.ts';
import type { InvoicesContext } from './invoices.context.ts';
import { issueDocument } from './issue-document.ts';

/** What the credit note needs of `payments.payment_refunded.v1`. */
export interface MoneyReturned {
  orderId: string;
  amountMinor: number;
  currency: string;
  refundRequestId?: string | undefined;
}

/** The invoice's tax lines scaled to the credited share (floored: never more tax back than was charged). */
const scaledTax = (lines: readonly TaxBreakdownLine[], part: number, whole: number): TaxBreakdownLine[] =>
  whole <= 0 ? [] : lines.map((t) => ({ ...t, taxableMinor: Math.floor((t.taxableMinor * part) / whole), taxMinor: Math.floor((t.taxMinor * part) / whole) }));

/**
 * Money went back: one credit note per refund (orders' refund id, or the event for a cancellation's
 * refund), against the order's invoice, which must exist first (otherwise the delivery is retried).
 * Like the invoice, its PDF is rendered on first download.
 */
export async function issueCreditNote(ctx: InvoicesContext, event: DomainEvent<string, MoneyReturned>, handler: HandlerContext): Promise<void> {
  const { orderId, amountMinor, currency, refundRequestId } = event.payload;
  if (amountMinor <= 0) return;
  const invoice = await ctx.documents.findInvoiceOf(ctx.db, orderId);
  if (!invoice) throw new Error(`order ${orderId} has no invoice yet; its credit note waits`);
  const refund = refundRequestId ? await ctx.sources.refundOf(refundRequestId) : null;
  const sourceId = refundRequestId ?? `refund-event:${event.id}`;
  const priced = new Map(invoice.content.lines.map((l) => [l.sku, l]));
  const order = refund && refund.lines.length > 0 ? await ctx.sources.invoiceOrderOf(orderId) : null;
  const lines = (refund?.lines ?? []).flatMap((r) => {
    const line = order?.lines.find((l) => l.variantId === r.variantId);
    const onInvoice = line ? priced.get(line.sku) : undefined;
    return line && onInvoice ? [{ description: onInvoice.description, sku: onInvoice.sku, quantity: r.quantity, unitPriceMinor: onInvoice.unitPriceMinor, amountMinor: onInvoice.unitPriceMinor * r.quantity }] : [];
  });
  const shippingMinor = refund?.shipping ? invoice.content.shippingMinor : 0;
  const listed = lines.reduce((s, l) => s + l.amountMinor, 0) + shippingMinor;
  // What was paid back may differ from list prices (a partial capture, an amount-only refund): say so.
  if (listed !== amountMinor) {
    lines.push({ description: listed === 0 ? 'Refund' : 'Adjustment to the amount refunded', sku: '-', quantity: 1, unitPriceMinor: amountMinor - listed, amountMinor: amountMinor - listed });
  }
  const taxLines = scaledTax(invoice.content.taxLines, amountMinor, invoice.totalMinor);
  await handler.once(async (tx) => {
    if (await ctx.documents.findBySource(tx, 'credit_note', sourceId)) return;
    await issueDocument(ctx, tx, {
      kind: 'credit_note',
      orderId,
      sourceId,
      userId: invoice.userId,
      accessTokenHash: invoice.accessTokenHash,
      currency,
      content: {
        orderNumber: invoice.content.orderNumber,
        correctsNumber: invoice.number,
        seller: ctx.seller,
        buyer: invoice.content.buyer,
        currency,
        lines,
        shippingMinor,
        discountMinor: 0,
        taxLines,
        taxMinor: taxLines.reduce((sum, t) => sum + t.taxMinor, 0),
        // What goes back is a total: the tax in it is shown, never added again.
        taxInclusive: true,
        totalMinor: amountMinor,
        note: refund?.reason ?? 'Order cancelled',
      },
    });
  });
}
