import { pdfKey, type InvoiceDocument } from '../domain/invoice-document.ts';
import type { InvoicesContext } from './invoices.context.ts';

/** First downloads of one document in this process share one render (several tabs, a retried request). */
const rendering = new Map<string, Promise<Uint8Array>>();

/**
 * The document's PDF from the object store; on the first download it is rendered from the
 * snapshot issued with the number and stored. The snapshot and the creation date (the issue
 * date) fix the bytes, so a render in another process, or after a crash before the upload,
 * stores the same document.
 */
export async function pdfOf(ctx: InvoicesContext, doc: InvoiceDocument): Promise<Uint8Array> {
  const key = pdfKey(doc);
  const stored = await ctx.store.get(key);
  if (stored) return stored;
  // By document id, not by number: another module instance (another database) has the same numbers.
  const running = rendering.get(doc.id);
  if (running) return running;
  const render = storePdf(ctx, doc, key).finally(() => rendering.delete(doc.id));
  rendering.set(doc.id, render);
  return render;
}

async function storePdf(ctx: InvoicesContext, doc: InvoiceDocument, key: string): Promise<Uint8Array> {
  const pdf = await ctx.render(doc.content);
  await ctx.store.put(key, pdf);
  return pdf;
}
