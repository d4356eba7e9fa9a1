import { z } from 'zod';

export const orderIdParams = z.object({ id: z.uuid({ message: 'must be an order id (uuid)' }) });
export const documentParams = z.object({
  id: z.uuid({ message: 'must be an order id (uuid)' }),
  documentId: z.uuid({ message: 'must be an invoice or credit note id (uuid)' }),
});
export const adminDocumentParams = z.object({ documentId: z.uuid({ message: 'must be an invoice or credit note id (uuid)' }) });
export const orderTokenHeaders = z.looseObject({ 'x-order-token': z.string().max(100).optional() });

export const documentSchema = z.object({
  id: z.string(),
  kind: z.enum(['invoice', 'credit_note']),
  number: z.string().describe('INV-2026-000001 (invoice) or CN-2026-000001 (credit note): gapless per year'),
  orderId: z.string(),
  totalMinor: z.number().int(),
  currency: z.string(),
  issuedAt: z.string(),
  correctsNumber: z.string().nullable(),
});
export const documentListSchema = z.object({ documents: z.array(documentSchema) });

export const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
export const pdfResponse = z.string().describe('application/pdf');
