/**
 * Invoices and credit notes as issued: a numbered, immutable snapshot. The PDF is rendered from
 * `content` alone, so it can be rendered again (after a crash before the upload) byte for byte the same.
 */
export type DocumentKind = 'invoice' | 'credit_note';

export interface Party {
  name: string;
  addressLines: string[];
  email?: string;
  taxId?: string;
}

export interface DocumentLine {
  description: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
}

export interface TaxBreakdownLine {
  name: string;
  rateBps: number;
  taxableMinor: number;
  taxMinor: number;
}

export interface DocumentContent {
  kind: DocumentKind;
  number: string;
  issuedAt: string;
  orderNumber: string;
  /** A credit note names the invoice it corrects. */
  correctsNumber: string | null;
  seller: Party;
  buyer: Party;
  currency: string;
  lines: DocumentLine[];
  /** Shipping (invoice) or refunded shipping (credit note); 0 when none. */
  shippingMinor: number;
  discountMinor: number;
  taxLines: TaxBreakdownLine[];
  /** The tax in the total (0 on documents issued before taxes existed). */
  taxMinor?: number;
  /** The prices include the tax; otherwise it is added to the total. */
  taxInclusive?: boolean;
  totalMinor: number;
  /** A credit note's reason; an invoice's none. */
  note: string | null;
}

export interface InvoiceDocument {
  id: string;
  kind: DocumentKind;
  number: string;
  orderId: string;
  /** The payment (invoice) or refund (credit note) it was issued for: one document per source. */
  sourceId: string;
  userId: string | null;
  accessTokenHash: string | null;
  totalMinor: number;
  currency: string;
  content: DocumentContent;
  issuedAt: Date;
}

export const SERIES: Record<DocumentKind, (invoicePrefix: string) => string> = {
  invoice: (prefix) => prefix,
  credit_note: () => 'CN',
};

/** `INV-2026-000042`: the series, the year and the number within it, which starts at 1 each year. */
export const documentNumber = (series: string, year: number, n: number): string => `${series}-${year}-${String(n).padStart(6, '0')}`;

/** The object store key of a document's PDF. */
export const pdfKey = (d: Pick<InvoiceDocument, 'issuedAt' | 'number'>): string => `invoices/${d.issuedAt.getUTCFullYear()}/${d.number}.pdf`;

/** `€19.99`, `¥1,999`: the currency's own decimals; every symbol used is in the PDF's built-in font. */
export function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
