import type { Sql } from '../../../shared/database/database.ts';
import { documentNumber, SERIES, type DocumentContent, type InvoiceDocument } from '../domain/invoice-document.ts';
import type { InvoicesContext } from './invoices.context.ts';

export interface DocumentDraft {
  kind: InvoiceDocument['kind'];
  orderId: string;
  sourceId: string;
  userId: string | null;
  accessTokenHash: string | null;
  currency: string;
  content: Omit<DocumentContent, 'number' | 'issuedAt' | 'kind'>;
}

/**
 * Numbers and stores a document in the caller's transaction. The number is drawn last, just before
 * the insert, so the counter row is held for as short a time as possible.
 */
export async function issueDocument(ctx: InvoicesContext, tx: Sql, draft: DocumentDraft): Promise<InvoiceDocument> {
  const issuedAt = ctx.now();
  const series = SERIES[draft.kind](ctx.invoicePrefix);
  const seq = await ctx.documents.nextNumber(tx, series, issuedAt.getUTCFullYear());
  return store(ctx, tx, draft, { issuedAt, series, seq });
}

/**
 * `issueDocument` for an order's invoice, unless the order has one already (null): whether it has
 * one is read in the statement that draws the number.
 */
export async function issueFirstInvoice(ctx: InvoicesContext, tx: Sql, draft: DocumentDraft & { kind: 'invoice' }): Promise<InvoiceDocument | null> {
  const issuedAt = ctx.now();
  const series = SERIES[draft.kind](ctx.invoicePrefix);
  const seq = await ctx.documents.nextNumberUnlessInvoiced(tx, series, issuedAt.getUTCFullYear(), draft.orderId);
  return seq === null ? null : store(ctx, tx, draft, { issuedAt, series, seq });
}

async function store(ctx: InvoicesContext, tx: Sql, draft: DocumentDraft, drawn: { issuedAt: Date; series: string; seq: number }): Promise<InvoiceDocument> {
  const { issuedAt, series, seq } = drawn;
  const year = issuedAt.getUTCFullYear();
  const number = documentNumber(series, year, seq);
  const doc: InvoiceDocument = {
    id: ctx.newId(),
    kind: draft.kind,
    number,
    orderId: draft.orderId,
    sourceId: draft.sourceId,
    userId: draft.userId,
    accessTokenHash: draft.accessTokenHash,
    totalMinor: draft.content.totalMinor,
    currency: draft.currency,
    content: { ...draft.content, kind: draft.kind, number, issuedAt: issuedAt.toISOString() },
    issuedAt,
  };
  await ctx.documents.insert(tx, { ...doc, series, year, seq });
  return doc;
}
