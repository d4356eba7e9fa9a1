import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-status.ts';
import { addressSchema } from '../../../events/orders.events.ts';

/** Request and response shapes of the orders HTTP API; they also generate its OpenAPI. */

const NO_NUL = /^[^\u0000]*$/;
const PROMOTION_CODE = /^[A-Za-z0-9_-]{1,40}$/;
const PROMOTION_CODE_MESSAGE = 'must be 1-40 letters, digits, dashes or underscores';

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
  promotionCode: z.string().trim().regex(PROMOTION_CODE, PROMOTION_CODE_MESSAGE).optional().describe('a discount code; 422 when it does not apply'),
});

export const quoteBody = z.strictObject({
  promotionCode: z.string().trim().regex(PROMOTION_CODE, PROMOTION_CODE_MESSAGE).optional(),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code').optional().describe('destination; no tax without it'),
  subdivision: z.string().regex(/^[A-Za-z0-9]{1,3}$/, 'must be a state or province code such as CA').optional(),
  postalCode: z.string().min(1).max(20).regex(NO_NUL).optional(),
  shippingOptionId: z.string().min(1).max(100).regex(NO_NUL).optional().describe('with country: price shipping too'),
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

const taxLine = z.object({ name: z.string(), rateBp: z.number().int(), amountMinor: z.number().int() });
const line = z.object({
  variantId: z.string(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceMinor: z.number().int(),
  weightGrams: z.number().int(),
  taxClass: z.string(),
  discountMinor: z.number().int().describe("this line's share of the order's merchandise discount"),
  taxMinor: z.number().int(),
  taxLines: z.array(taxLine),
});

/** Region, discounts and taxes of an order or a quote: total = subtotal − discount + shipping + (taxInclusive ? 0 : tax). */
const pricingFields = {
  regionId: z.string().nullable(),
  taxInclusive: z.boolean().describe('true: line and shipping prices include the tax shown'),
  discountMinor: z.number().int().describe('all promotions: lines and shipping'),
  shippingDiscountMinor: z.number().int(),
  shippingTaxMinor: z.number().int(),
  shippingTaxLines: z.array(taxLine),
  taxMinor: z.number().int(),
  promotions: z.array(z.object({ promotionId: z.string(), code: z.string().nullable(), kind: z.string(), name: z.string(), amountMinor: z.number().int() })),
};

export const quoteResponse = z.object({
  currency: z.string(),
  lines: z.array(line),
  subtotalMinor: z.number().int(),
  shippingMinor: z.number().int(),
  totalMinor: z.number().int(),
  ...pricingFields,
  promotionCode: z
    .object({ code: z.string(), applied: z.boolean(), reason: z.string().optional(), message: z.string().optional() })
    .nullable()
    .describe('what became of the code sent: applied, or why not'),
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
  ...pricingFields,
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
  number: z.string().min(1).max(40).regex(/^[\w-]+$/, 'must be an order number such as SO-00000042').optional(),
  customerId: z.uuid({ message: 'must be a customer id (uuid)' }).optional(),
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

const money = z.number().int();
const refundLine = z.strictObject({
  variantId: z.uuid({ message: 'must be a variant id (uuid) of one of the order lines' }),
  quantity: z.number().int().min(1).max(10_000),
});

export const refundHeaders = z.looseObject({
  'idempotency-key': z
    .string({ message: 'required: a unique key per refund (e.g. a UUID), reused on retries' })
    .regex(/^[A-Za-z0-9_.:-]{8,200}$/, { message: 'must be 8-200 letters, digits, dots, colons, dashes or underscores' })
    .describe('Unique per refund; send the same key when retrying'),
});

export const refundBody = z
  .strictObject({
    full: z.literal(true).optional().describe('refund everything still refundable'),
    lines: z.array(refundLine).min(1).max(100).optional().describe('units of order lines to refund'),
    shipping: z.boolean().optional().describe('with `lines`: refund the shipping charge too'),
    amountMinor: money.min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('a sum not tied to lines (minor units)'),
    reason: z.string().trim().min(1, 'say why (shown in the order history)').max(500).regex(NO_NUL),
  })
  .superRefine((b, c) => {
    const kinds = [b.full, b.lines, b.amountMinor].filter((v) => v !== undefined).length;
    if (kinds !== 1) c.addIssue({ code: 'custom', path: [], message: 'give exactly one of full, lines or amountMinor' });
    if (b.shipping !== undefined && b.lines === undefined) c.addIssue({ code: 'custom', path: ['shipping'], message: 'only with lines' });
  });

export const refundSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  amountMinor: money,
  currency: z.string(),
  lines: z.array(z.object({ variantId: z.string(), quantity: z.number().int() })),
  shipping: z.boolean(),
  reason: z.string(),
  status: z.enum(['requested', 'refunded']),
  requestedBy: z.string(),
  createdAt: z.string(),
  refundedAt: z.string().nullable(),
});

export const adminOrderDetailSchema = orderDetailSchema.extend({
  userId: z.string().nullable(),
  paidMinor: money,
  refundableMinor: money,
  lines: z.array(line.extend({ refundableQuantity: z.number().int() })),
  refunds: z.array(refundSchema),
  payment: z
    .object({
      id: z.string(),
      state: z.string(),
      amountMinor: money,
      capturedMinor: money,
      refundedMinor: money,
      currency: z.string(),
      failureCode: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .nullable()
    .describe('null until payments has a record, or when payments runs in its own process'),
  shipments: z.array(
    z.object({
      id: z.string(),
      carrier: z.string(),
      trackingNumber: z.string(),
      labelUrl: z.string(),
      status: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  emails: z.array(z.object({ kind: z.string(), to: z.string(), subject: z.string(), messageId: z.string(), sentAt: z.string() })),
  activity: z.array(z.object({ at: z.string(), kind: z.enum(['status', 'refund', 'shipment', 'email']), summary: z.string() })),
});
