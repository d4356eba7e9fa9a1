import { z } from 'zod';

/** Request and response shapes of returns; they also generate its OpenAPI. */

const NO_NUL = /^[^\u0000]*$/;

export const returnIdParams = z.object({ id: z.uuid({ message: 'must be a return id (uuid)' }) });

export const returnHeaders = z.looseObject({
  'idempotency-key': z
    .string({ message: 'required: a unique key per return request (e.g. a UUID), reused on retries' })
    .regex(/^[A-Za-z0-9_.:-]{8,200}$/, { message: 'must be 8-200 letters, digits, dots, colons, dashes or underscores' })
    .describe('Unique per return request; send the same key when retrying'),
  'x-order-token': z.string().max(100).optional(),
});

export const returnRequestBody = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        variantId: z.uuid({ message: 'must be a variant id (uuid) of one of the order lines' }),
        quantity: z.number().int().min(1).max(10_000),
      }),
    )
    .min(1, 'choose at least one unit to return')
    .max(100),
  reason: z.string().trim().min(1, 'say why you are returning it').max(500).regex(NO_NUL, 'must not contain NUL'),
});

export const returnDecisionBody = z.strictObject({
  note: z.string().trim().max(500).regex(NO_NUL, 'must not contain NUL').optional().describe('shown to the customer'),
});

export const returnReceiptBody = z.strictObject({
  disposition: z.enum(['restock', 'write_off'], { message: 'must be restock or write_off' }).describe('back on the shelf, or written off'),
});

export const RETURN_STATUSES = ['requested', 'approved', 'refused', 'received'] as const;

export const adminReturnsQuery = z.strictObject({
  status: z.enum(RETURN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const returnSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  lines: z.array(z.object({ variantId: z.string(), quantity: z.number().int() })),
  reason: z.string(),
  status: z.enum(RETURN_STATUSES),
  decisionNote: z.string().nullable(),
  disposition: z.enum(['restock', 'write_off']).nullable(),
  refundId: z.string().nullable(),
  refundMinor: z.number().int().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
});

export const orderReturnsSchema = z.object({
  returns: z.array(returnSchema),
  returnableUntil: z.string().nullable().describe('null when the order is not delivered'),
  lines: z.array(z.object({ variantId: z.string(), returnableQuantity: z.number().int() })),
});

export const returnQueueSchema = z.object({ returns: z.array(returnSchema) });
