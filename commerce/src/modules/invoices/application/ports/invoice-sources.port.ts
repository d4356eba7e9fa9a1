// What invoices needs from orders: its public types, through orders' entry.
export type { InvoiceOrder, InvoiceRefund } from '../../../orders/index.ts';
import type { InvoiceOrder, InvoiceRefund } from '../../../orders/index.ts';

/** The order and refund details a document shows; the composition root wires orders' API here. */
export interface InvoiceSources {
  invoiceOrderOf(orderId: string): Promise<InvoiceOrder | null>;
  refundOf(refundId: string): Promise<InvoiceRefund | null>;
}
