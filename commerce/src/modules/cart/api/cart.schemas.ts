import { z } from 'zod';
import { CART_TOKEN_PATTERN } from '../domain/cart-owner.ts';

const moneyChange = z.object({ was: z.number().int(), now: z.number().int() });

export const cartViewSchema = z.object({
  cartToken: z.string().nullable().describe('Guest cart token; also set as the cart_token cookie. Send it back as x-cart-token.'),
  lines: z.array(
    z.object({
      variantId: z.string(),
      productId: z.string().nullable(),
      sku: z.string(),
      productName: z.string(),
      options: z.record(z.string(), z.string()),
      imageUrl: z.string().nullable(),
      quantity: z.number().int(),
      unitPriceMinor: z.number().int(),
      lineTotalMinor: z.number().int(),
      currency: z.string(),
      priceChanged: moneyChange.nullable(),
      unavailable: z.boolean(),
      insufficientStock: z.object({ available: z.number().int() }).nullable(),
    }),
  ),
  currency: z.string().nullable(),
  subtotalMinor: z.number().int(),
  itemCount: z.number().int(),
  hasIssues: z.boolean(),
  issues: z.array(
    z.object({
      code: z.enum(['CART.PRICE_CHANGED', 'CART.VARIANT_UNAVAILABLE', 'CART.INSUFFICIENT_STOCK']),
      variantId: z.string(),
      message: z.string(),
    }),
  ),
});

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  requestId: z.string(),
});

export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

// Loose: the validated object replaces request.headers, and other modules (auth) still read theirs.
export const cartHeaders = z.looseObject({
  'x-cart-token': z
    .string()
    .regex(CART_TOKEN_PATTERN, { message: 'must be a cart token as returned in cartToken' })
    .optional()
    .describe('Guest cart token for clients without cookies (mobile)'),
});

// Variant ids are the catalog's uuids; checking the shape here keeps junk away from its queries.
export const variantParams = z.object({ variantId: z.uuid({ message: 'must be a variant id (uuid)' }) });

export const addItemBody = (maxQuantity: number) =>
  z.object({
    variantId: z.uuid({ message: 'must be a variant id (uuid)' }),
    quantity: z.number().int().min(1).max(maxQuantity),
  });

export const changeQuantityBody = (maxQuantity: number) =>
  z.object({ quantity: z.number().int().min(0).max(maxQuantity).describe('0 removes the line') });
