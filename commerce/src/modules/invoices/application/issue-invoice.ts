import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import type { InvoicesContext } from './invoices.context.ts';
import { firstInvoiceStatement } from './issue-document.ts';

/** What the invoice needs of `payments.payment_completed.v1`. */
export interface PaymentCaptured {
  orderId: string;
  paymentId: string;
}

/**
 * The payment was captured: the order gets its invoice, numbered, dated and stored in the statement
 * that writes the handler's inbox mark (a second payment event of the order finds it there when it
 * draws a number, one invoice per order by a unique index). The
 * PDF is rendered from the stored snapshot on its first download (`pdfOf`), not here: most
 * invoices are never opened, and rendering was the largest cost of a paid order.
 */
export async function issueInvoice(ctx: InvoicesContext, event: DomainEvent<string, PaymentCaptured>, handler: HandlerContext): Promise<void> {
  const { orderId, paymentId } = event.payload;
  const order = await ctx.sources.invoiceOrderOf(orderId);
  // Orders commits the order before payments can capture it; absent means another process's database lags: retry.
  if (!order) throw new Error(`order ${orderId} not yet known to orders`);
  const a = order.billingAddress;
  await handler.onceInStatement(
    firstInvoiceStatement(ctx, {
      kind: 'invoice',
      orderId,
      sourceId: paymentId,
      userId: order.userId,
      accessTokenHash: order.accessTokenHash,
      currency: order.currency,
      content: {
        orderNumber: order.orderNumber,
        correctsNumber: null,
        seller: ctx.seller,
        buyer: {
          name: a.name,
          addressLines: [a.line1, ...(a.line2 ? [a.line2] : []), `${a.postalCode} ${a.city}${a.region ? `, ${a.region}` : ''}`, a.country],
          email: order.email,
        },
        currency: order.currency,
        lines: order.lines.map((l) => ({ description: l.name, sku: l.sku, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, amountMinor: l.unitPriceMinor * l.quantity })),
        shippingMinor: order.shippingMinor,
        discountMinor: order.discountMinor,
        taxLines: order.taxLines,
        taxMinor: order.taxMinor,
        taxInclusive: order.taxInclusive,
        totalMinor: order.totalMinor,
        note: null,
      },
    }),
  );
}
