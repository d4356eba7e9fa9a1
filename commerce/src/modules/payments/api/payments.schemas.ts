import { z } from 'zod';

export const paymentSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  state: z.enum(['initiated', 'requires_confirmation', 'authorized', 'captured', 'partially_refunded', 'refunded', 'failed', 'voided']),
  amountMinor: z.number().int(),
  currency: z.string(),
  intentId: z.string().nullable(),
  capturedMinor: z.number().int(),
  refundedMinor: z.number().int(),
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  requestId: z.string(),
});

export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 503: errorSchema };

export const orderParams = z.object({ orderId: z.uuid({ message: 'must be an order id (uuid)' }) });
export const orderTokenHeaders = z.looseObject({ 'x-order-token': z.string().max(100).optional() });
export const paymentParams = z.object({ id: z.uuid({ message: 'must be a payment id (uuid)' }) });
export const listQuery = z.object({
  orderId: z.uuid({ message: 'must be an order id (uuid)' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const webhookAnswer = z.object({ received: z.literal(true), handled: z.enum(['moved', 'already', 'refused', 'ignored', 'rejected']) });
export const webhookRejections = z.object({
  total: z.number().int(),
  items: z.array(z.object({ gatewayEventId: z.string(), intentId: z.string(), orderId: z.string().nullable(), reason: z.string(), receivedAt: z.string() })),
});
