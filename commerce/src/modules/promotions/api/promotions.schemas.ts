import { z } from 'zod';
import { PROMOTION_KINDS, type Promotion } from '../domain/promotion.ts';

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const count = z.number().int().min(1).max(1_000_000_000);

/** A new promotion. Percentages are basis points (1000 = 10%); amounts are minor units of `currency`. */
export const createPromotionBody = z
  .strictObject({
    code: z.string().trim().regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3-40 letters, digits, dashes or underscores').nullable().describe('null: an automatic promotion'),
    name: z.string().trim().min(1, 'must not be empty').max(200).regex(/^[^\u0000]*$/, 'must not contain NUL'),
    kind: z.enum(PROMOTION_KINDS),
    value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('percentage: basis points; fixed_amount: minor units; free_shipping: 0'),
    currency: currency.nullable().default(null),
    minSubtotalMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
    endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
    usageLimit: count.nullable().default(null),
    perCustomerLimit: count.nullable().default(null),
  })
  .superRefine((b, c) => {
    if (b.kind === 'percentage' && (b.value < 1 || b.value > 10_000)) c.addIssue({ code: 'custom', path: ['value'], message: 'a percentage is 1-10000 basis points' });
    if (b.kind === 'fixed_amount' && b.value < 1) c.addIssue({ code: 'custom', path: ['value'], message: 'a fixed amount is at least 1 minor unit' });
    if (b.kind === 'free_shipping' && b.value !== 0) c.addIssue({ code: 'custom', path: ['value'], message: 'free shipping takes value 0' });
    if (b.kind === 'fixed_amount' && b.currency === null) c.addIssue({ code: 'custom', path: ['currency'], message: 'required for a fixed amount' });
    if (b.minSubtotalMinor > 0 && b.currency === null) c.addIssue({ code: 'custom', path: ['currency'], message: 'required with a minimum subtotal' });
    if (b.startsAt && b.endsAt && Date.parse(b.endsAt) <= Date.parse(b.startsAt)) c.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });

export const promotionSchema = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(PROMOTION_KINDS),
  value: z.number().int(),
  currency: z.string().nullable(),
  minSubtotalMinor: z.number().int(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  usageLimit: z.number().int().nullable(),
  perCustomerLimit: z.number().int().nullable(),
  usedCount: z.number().int(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});

export const toPromotionView = (p: Promotion): z.output<typeof promotionSchema> => ({
  ...p,
  startsAt: p.startsAt?.toISOString() ?? null,
  endsAt: p.endsAt?.toISOString() ?? null,
  disabledAt: p.disabledAt?.toISOString() ?? null,
  createdAt: p.createdAt.toISOString(),
});

const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
