import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-status.ts';
import { addressSchema } from '../../../events/orders.events.ts';

/** Request and response shapes of the orders HTTP API; they also generate its OpenAPI. */

const NO_NUL = /^[^\u0000]*$/;

export const checkoutHeaders = z.looseObject({
  'idempotency-key': z
    .string({ message: 'required: a unique key per checkout attempt (e.g. a UUID), reused on retries' })
    .regex(/^[A-Za-z0-9_.:-]{8,200}$/, { message: 'must be 8-200 letters, digits, dots, colons, dashes or underscores' })
    .describe('Unique per checkout attempt; send the same key when retrying'),
});

export const checkoutBody = z.strictObject({
  email: z.email({ message: 'must be an email address' }).max(320).optional().describe('required for guests'),
  shippingAddress: z.strictObject(addressSchema.shape).superRefine((a, c) => {
    for (const [k, v] of Object.entries(a)) if (typeof v === 'string' && !NO_NUL.test(v)) c.addIssue({ code: 'custom', path: [k], message: 'must not contain NUL' });
  }),
  shippingOptionId: z.string().min(1).max(100).regex(NO_NUL),
  paymentMethod: z.string().min(1).max(200).regex(NO_NUL).describe('gateway token, e.g. a sandbox test card; never a card number'),
});

export const checkoutResponse = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  status: z.string(),
  totalMinor: z.number().int(),
  currency: z.string(),
  orderToken: z.string().nullable().describe('guests: send as x-order-token to read the order'),
});

export const idParams = z.object({ id: z.uuid({ message: 'must be an order id (uuid)' }) });

export const orderTokenHeaders = z.looseObject({ 'x-order-token': z.string().max(100).optional() });

const line = z.object({
  variantId: z.string(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceMinor: z.number().int(),
  weightGrams: z.number().int(),
});

export const orderSummarySchema = z.object({
  id: z.string(),
  orderNumber: z.string(),
  status: z.enum(ORDER_STATUSES),
  email: z.string(),
  currency: z.string(),
  totalMinor: z.number().int(),
  itemCount: z.number().int(),
  createdAt: z.string(),
});

export const orderDetailSchema = orderSummarySchema.extend({
  subtotalMinor: z.number().int(),
  shippingMinor: z.number().int(),
  lines: z.array(line),
  shippingAddress: addressSchema,
  shippingOption: z.object({ id: z.string(), name: z.string(), priceMinor: z.number().int() }),
  cancelReason: z.string().nullable(),
  updatedAt: z.string(),
  timeline: z.array(z.object({ from: z.string().nullable(), to: z.string(), cause: z.string(), at: z.string() })),
});

export const orderPageSchema = z.object({ orders: z.array(orderSummarySchema), nextCursor: z.string().nullable() });

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(500).regex(/^[\w-]+$/, 'must be a nextCursor value').optional(),
};

export const myOrdersQuery = z.strictObject(page);

export const adminOrdersQuery = z.strictObject({
  ...page,
  status: z.enum(ORDER_STATUSES).optional(),
  email: z.string().min(1).max(320).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('created at or after (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('created before (ISO 8601)'),
});

export const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
};
