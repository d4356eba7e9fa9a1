import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializer } from '../../../shared/http/compiled-serializer.ts';
import { cartViewSchema, errorSchema } from './cart.schemas.ts';

const line = {
  variantId: 'v-1',
  productId: 'p-1',
  sku: 'TEE-M',
  productName: 'Tee "classic" \u00e9',
  options: { size: 'M', colour: 'blue' },
  imageUrl: null,
  quantity: 2,
  unitPriceMinor: 2500,
  lineTotalMinor: 5000,
  currency: 'EUR',
  priceChanged: { was: 2400, now: 2500 },
  unavailable: false,
  insufficientStock: null,
};
const cart = {
  cartToken: 'c'.repeat(43),
  lines: [line, { ...line, variantId: 'v-2', productId: null, priceChanged: null, insufficientStock: { available: 1 }, secret: 'not in the schema' }],
  currency: 'EUR',
  subtotalMinor: 10_000,
  itemCount: 4,
  hasIssues: true,
  issues: [{ code: 'CART.PRICE_CHANGED', variantId: 'v-1', message: 'The price changed', internal: 'not in the schema either' }],
};

/** What the house serializer (zod, then JSON.stringify) writes for the same response. */
const byZod = (schema: z.ZodType, data: unknown) => JSON.stringify(z.encode(schema, data as never));

describe('cart answers written from the schema', () => {
  it.each([
    ['a cart with lines and issues', cartViewSchema, cart],
    ['an empty cart', cartViewSchema, { cartToken: null, lines: [], currency: null, subtotalMinor: 0, itemCount: 0, hasIssues: false, issues: [] }],
    ['an error', errorSchema, { error: 'Conflict', message: 'Only 1 left', requestId: 'r-1', details: { available: 1 }, stack: 'not in the schema' }],
  ])('%s: the same JSON as the house serializer, properties outside the schema left out', (_name, schema, data) => {
    const written = compiledSerializer({ schema })(data);
    expect(JSON.parse(written)).toStrictEqual(JSON.parse(byZod(schema as z.ZodType, data)));
    expect(written).not.toContain('not in the schema');
  });
});
