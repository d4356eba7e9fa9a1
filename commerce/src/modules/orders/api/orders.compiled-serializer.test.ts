import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializer } from '../../../shared/http/compiled-serializer.ts';
import { checkoutResponse, errorSchema, orderDetailSchema, orderPageSchema } from './orders.schemas.ts';

const at = '2026-12-07T10:00:00.000Z';
const line = {
  variantId: 'v-1',
  productId: 'p-1',
  sku: 'TEE-M',
  name: 'Tee "classic" \u00e9',
  quantity: 2,
  unitPriceMinor: 2500,
  weightGrams: 200,
  taxClass: 'standard',
  discountMinor: 0,
  taxMinor: 833,
  taxLines: [{ name: 'VAT', rateBp: 2000, amountMinor: 833 }],
};
const detail = {
  id: 'o-1',
  orderNumber: 'SO-00000042',
  status: 'paid',
  email: 'ada@example.test',
  currency: 'EUR',
  totalMinor: 5490,
  itemCount: 2,
  createdAt: at,
  regionId: null,
  taxInclusive: true,
  discountMinor: 0,
  shippingDiscountMinor: 0,
  shippingTaxMinor: 82,
  shippingTaxLines: [{ name: 'VAT', rateBp: 2000, amountMinor: 82 }],
  taxMinor: 915,
  promotions: [{ promotionId: 'pr-1', code: null, kind: 'percent', name: 'Winter', amountMinor: 10 }],
  subtotalMinor: 5000,
  shippingMinor: 490,
  lines: [line, { ...line, sku: 'MUG', secret: 'not in the schema' }],
  shippingAddress: { name: 'Ada', line1: '1 Rue X', city: 'Paris', postalCode: '75001', country: 'FR' },
  shippingOption: { id: 'standard', name: 'Standard', priceMinor: 490 },
  cancelReason: null,
  updatedAt: at,
  timeline: [
    { from: null, to: 'pending_payment', cause: 'checkout', at },
    { from: 'pending_payment', to: 'paid', cause: 'payment completed', at },
  ],
  internal: 'not in the schema either',
};

/** What the house serializer (zod, then JSON.stringify) writes for the same response. */
const byZod = (schema: z.ZodType, data: unknown) => JSON.stringify(z.encode(schema, data as never));

describe('responses written from the schema', () => {
  it.each([
    ['an order with its timeline', orderDetailSchema, detail],
    ['a page of orders', orderPageSchema, { orders: [{ ...detail, lines: undefined, timeline: undefined }].map(({ lines: _l, timeline: _t, ...o }) => o), nextCursor: null }],
    ['a checkout answer', checkoutResponse, { orderId: 'o-1', orderNumber: 'SO-1', status: 'pending_payment', totalMinor: 5490, currency: 'EUR', orderToken: null }],
    ['an error', errorSchema, { error: 'Not Found', message: 'Order o-2', requestId: 'r-1', details: { issues: [{ path: ['id'] }] }, stack: 'not in the schema' }],
  ])('%s: the same JSON as the house serializer, properties outside the schema left out', (_name, schema, data) => {
    const written = compiledSerializer({ schema })(data);
    // Key order may differ (required properties first); the JSON is the same.
    expect(JSON.parse(written)).toStrictEqual(JSON.parse(byZod(schema as z.ZodType, data)));
    expect(written).not.toContain('not in the schema');
  });
});
