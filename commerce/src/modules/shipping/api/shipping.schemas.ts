import { z } from 'zod';

export const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema };

export const quoteQuery = z.object({
  country: z.string().regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' }),
  postalCode: z.string().max(20).optional(),
  weightGrams: z.coerce.number().int().min(1).max(1_000_000),
  subtotalMinor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Za-z]{3}$/, { message: 'must be an ISO 4217 currency code' }),
});

export const quoteOptionSchema = z.object({
  id: z.string(),
  name: z.string(),
  priceMinor: z.number().int(),
  currency: z.string(),
  estimatedDays: z.object({ min: z.number().int(), max: z.number().int() }).optional(),
});

export const shipmentSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  optionId: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  labelUrl: z.string(),
  status: z.enum(['label_purchased', 'in_transit', 'delivered']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const shipmentListQuery = z.object({
  status: z.enum(['label_purchased', 'in_transit', 'delivered']).optional(),
  orderId: z.uuid({ message: 'must be an order id (uuid)' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).regex(/^[\w-]+$/, 'must be a nextCursor value').optional(),
});

export const shipmentParams = z.object({ id: z.uuid({ message: 'must be a shipment id (uuid)' }) });
export const advanceBody = z.object({ status: z.enum(['in_transit', 'delivered']) });

/** The header the carrier signs its webhooks in: `t=<seconds>,v1=<hex HMAC-SHA256>`. */
export const TRACKING_SIGNATURE_HEADER = 'carrier-signature';
