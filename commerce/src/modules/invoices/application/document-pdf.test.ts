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

describe('a document whose PDF never reached the store (a crash between commit and upload)', () => {
  it('is rendered from its snapshot on the first download, stored under its number, and read from the store after that', async () => {
    const objects = new Map<string, Uint8Array>();
    let renders = 0;
    const ctx = {
      store: { get: async (k: string) => objects.get(k) ?? null, put: async (k: string, b: Uint8Array | string) => void objects.set(k, typeof b === 'string' ? Buffer.from(b) : b) },
      render: async (c: InvoiceDocument['content']) => {
        renders += 1;
        return renderDocumentPdf(c);
      },
    } as unknown as InvoicesContext;
    const first = await pdfOf(ctx, doc);
    expect(Buffer.from(first).subarray(0, 5).toString()).toBe('%PDF-');
    expect([...objects.keys()]).toEqual(['invoices/2026/INV-2026-000007.pdf']);
    const second = await pdfOf(ctx, doc);
    expect(renders).toBe(1);
    expect(Buffer.compare(Buffer.from(second), Buffer.from(first))).toBe(0);
  });
});
