import type { Sql } from '../../../shared/database/database.ts';
import type { OnceStatement } from '../../../shared/events/index.ts';
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
 * The order's invoice as `onceInStatement` work, unless the order has one already: whether it has
 * one is read in the CTE that draws the number, and the document is stored by the same statement.
 */
export function firstInvoiceStatement(ctx: InvoicesContext, draft: DocumentDraft & { kind: 'invoice' }): OnceStatement {
  const issuedAt = ctx.now();
  return ctx.documents.firstInvoiceStatement({ ...unnumbered(ctx, draft, issuedAt), series: SERIES[draft.kind](ctx.invoicePrefix), year: issuedAt.getUTCFullYear() });
}

/** The document as issued at `issuedAt`, but for its number. */
function unnumbered(ctx: InvoicesContext, draft: DocumentDraft, issuedAt: Date): Omit<InvoiceDocument, 'number' | 'content'> & { content: Omit<DocumentContent, 'number'> } {
  return {
    id: ctx.newId(),
    kind: draft.kind,
    orderId: draft.orderId,
    sourceId: draft.sourceId,
    userId: draft.userId,
    accessTokenHash: draft.accessTokenHash,
    totalMinor: draft.content.totalMinor,
    currency: draft.currency,
    content: { ...draft.content, kind: draft.kind, issuedAt: issuedAt.toISOString() },
    issuedAt,
  };
}

async function store(ctx: InvoicesContext, tx: Sql, draft: DocumentDraft, drawn: { issuedAt: Date; series: string; seq: number }): Promise<InvoiceDocument> {
  const { issuedAt, series, seq } = drawn;
  const year = issuedAt.getUTCFullYear();
  const number = documentNumber(series, year, seq);
  const base = unnumbered(ctx, draft, issuedAt);
  const doc: InvoiceDocument = { ...base, number, content: { ...base.content, number } };
  await ctx.documents.insert(tx, { ...doc, series, year, seq });
  return doc;
}
