import { pdfKey, type InvoiceDocument } from '../domain/invoice-document.ts';
import type { InvoicesContext } from './invoices.context.ts';

/**
 * The document's PDF from the object store; rendered from its snapshot and stored when missing
 * (the process died between issuing and uploading: the snapshot renders the same document).
 */
export async function pdfOf(ctx: InvoicesContext, doc: InvoiceDocument): Promise<Uint8Array> {
  const stored = await ctx.store.get(pdfKey(doc));
  if (stored) return stored;
  return storePdf(ctx, doc);
}

export async function storePdf(ctx: InvoicesContext, doc: InvoiceDocument): Promise<Buffer> {
  const pdf = await ctx.render(doc.content);
  await ctx.store.put(pdfKey(doc), pdf);
  return pdf;
}
