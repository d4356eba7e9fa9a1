import { describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '../domain/invoice-document.ts';
import { renderDocumentPdf } from '../infrastructure/pdf-renderer.ts';
import { pdfOf } from './document-pdf.ts';
import type { InvoicesContext } from './invoices.context.ts';

const issuedAt = new Date('2026-12-07T10:00:00.000Z');
const doc: InvoiceDocument = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'invoice',
  number: 'INV-2026-000007',
  orderId: '00000000-0000-4000-8000-000000000002',
  sourceId: 'payment-1',
  userId: null,
  accessTokenHash: null,
  totalMinor: 1000,
  currency: 'EUR',
  issuedAt,
  content: {
    kind: 'invoice',
    number: 'INV-2026-000007',
    issuedAt: issuedAt.toISOString(),
    orderNumber: 'SO-00000007',
    correctsNumber: null,
    seller: { name: 'Seller', addressLines: ['1 Rue'] },
    buyer: { name: 'Buyer', addressLines: ['2 Rue'] },
    currency: 'EUR',
    lines: [{ description: 'Mug', sku: 'MUG', quantity: 1, unitPriceMinor: 1000, amountMinor: 1000 }],
    shippingMinor: 0,
    discountMinor: 0,
    taxLines: [],
    totalMinor: 1000,
    note: null,
  },
};

function storeAndRenderer() {
  const objects = new Map<string, Uint8Array>();
  const counts = { renders: 0, puts: 0 };
  const ctx = {
    store: {
      get: async (k: string) => objects.get(k) ?? null,
      put: async (k: string, b: Uint8Array | string) => {
        counts.puts += 1;
        objects.set(k, typeof b === 'string' ? Buffer.from(b) : b);
      },
    },
    render: async (c: InvoiceDocument['content']) => {
      counts.renders += 1;
      return renderDocumentPdf(c);
    },
  } as unknown as InvoicesContext;
  return { objects, counts, ctx };
}

describe("a document's PDF, rendered on its first download", () => {
  it('is rendered from its snapshot once, stored under its number, and read from the store after that', async () => {
    const { objects, counts, ctx } = storeAndRenderer();
    const first = await pdfOf(ctx, doc);
    expect(Buffer.from(first).subarray(0, 5).toString()).toBe('%PDF-');
    expect([...objects.keys()]).toEqual(['invoices/2026/INV-2026-000007.pdf']);
    const second = await pdfOf(ctx, doc);
    expect(counts.renders).toBe(1);
    expect(Buffer.compare(Buffer.from(second), Buffer.from(first))).toBe(0);
  });

  it('concurrent first downloads share one render and one upload', async () => {
    const { counts, ctx } = storeAndRenderer();
    const pdfs = await Promise.all(Array.from({ length: 5 }, () => pdfOf(ctx, doc)));
    expect(counts).toEqual({ renders: 1, puts: 1 });
    for (const pdf of pdfs) expect(Buffer.compare(Buffer.from(pdf), Buffer.from(pdfs[0]!))).toBe(0);
  });

  it('renders the same bytes from the same snapshot, whichever process renders it and when', async () => {
    const a = await renderDocumentPdf(doc.content);
    await new Promise((r) => setTimeout(r, 1_100)); // a render a second later must not carry its own clock
    const b = await renderDocumentPdf(structuredClone(doc.content));
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
