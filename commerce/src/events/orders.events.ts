import { z } from 'zod';
import { defineEvent } from '../shared/events/domain-event.ts';

const money = z.number().int().nonnegative();

export const addressSchema = z.object({
  name: z.string().min(1).max(200),
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).optional(),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  region: z.string().max(100).optional(),
  country: z.string().length(2),
  phone: z.string().max(40).optional(),
});

/**
 * One tax charged on a line or on shipping: its name (e.g. "VAT 20%"), its rate in basis points
 * (2000 = 20%) and the amount, rounded per line in minor units (docs/adr/0065).
 */
export const taxLineSchema = z.object({
  name: z.string(),
  rateBp: z.number().int().nonnegative(),
  amountMinor: money,
});

/**
 * A line as bought. Orders placed before taxes and promotions existed read with zero discount and
 * no tax lines. The line's own identity: net = unitPriceMinor × quantity − discountMinor, and
 * taxMinor is the sum of its taxLines (included in net when the order is tax-inclusive).
 */
export const orderLineSchema = z.object({
  variantId: z.uuid(),
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPriceMinor: money,
  weightGrams: z.number().int().nonnegative(),
  taxClass: z.string().default('standard'),
  discountMinor: money.default(0),
  taxMinor: money.default(0),
  taxLines: z.array(taxLineSchema).default([]),
});

/** A promotion applied to an order and what it took off (lines and shipping together). */
export const appliedPromotionSchema = z.object({
  promotionId: z.uuid(),
  code: z.string().nullable(),
  kind: z.enum(['percentage', 'fixed_amount', 'free_shipping']),
  name: z.string(),
  amountMinor: money,
});

/**
 * An order's money beyond lines and shipping. Every amount adds up (checked by the database):
 * discountMinor = Σ line discounts + shippingDiscountMinor = Σ promotions' amounts;
 * taxMinor = Σ line taxes + shippingTaxMinor;
 * totalMinor = subtotalMinor − discountMinor + shippingMinor + (taxInclusive ? 0 : taxMinor).
 */
export const orderPricingSchema = z.object({
  regionId: z.string().nullable().default(null),
  taxInclusive: z.boolean().default(false),
  discountMinor: money.default(0),
  shippingDiscountMinor: money.default(0),
  shippingTaxMinor: money.default(0),
  shippingTaxLines: z.array(taxLineSchema).default([]),
  taxMinor: money.default(0),
  promotions: z.array(appliedPromotionSchema).default([]),
});

/**
 * An order was placed and its stock reserved. Payments charges it, notifications confirms it.
 * `paymentMethod` is a gateway token (a sandbox test card or a Stripe PaymentMethod id), never a card number.
 */
export const OrderCreated = defineEvent(
  'orders.order_created.v1',
  z.object({
    orderId: z.uuid(),
    orderNumber: z.string(),
    customer: z.object({ userId: z.uuid().nullable(), email: z.email() }),
    currency: z.string().length(3),
    subtotalMinor: money,
    shippingMinor: money,
    totalMinor: money,
    lines: z.array(orderLineSchema).min(1),
    shippingAddress: addressSchema,
    shippingOption: z.object({ id: z.string(), name: z.string(), priceMinor: money }),
    paymentMethod: z.string().min(1).max(200),
    ...orderPricingSchema.shape,
    /**
     * SHA-256 (hex) of a guest's order token, null for a signed-in customer's order: lets a module
     * that answers the shopper about this order (payments' confirm) check the token without asking orders.
     */
    accessTokenHash: z.string().regex(/^[0-9a-f]{64}$/).nullable().optional(),
  }),
);

/** The order reached `paid`: shipping buys a label. */
export const OrderPaid = defineEvent(
  'orders.order_paid.v1',
  z.object({
    orderId: z.uuid(),
    orderNumber: z.string(),
    customerEmail: z.email(),
    shippingAddress: addressSchema,
    shippingOptionId: z.string(),
    lines: z.array(orderLineSchema).min(1),
  }),
);

/**
 * The order was cancelled (payment failed, payment expired, or an admin). Stock is already released.
 * When `refundMinor` > 0 the order had been paid and payments refunds that amount.
 */
export const OrderCancelled = defineEvent(
  'orders.order_cancelled.v1',
  z.object({
    orderId: z.uuid(),
    orderNumber: z.string(),
    reason: z.enum(['payment_failed', 'payment_expired', 'admin', 'customer']),
    refundMinor: money,
    currency: z.string().length(3),
  }),
);

/**
 * An admin refunded part or all of a paid order (the cancellation's own refund is `OrderCancelled`).
 * `refundId` names the request: payments refunds it once, whatever the redeliveries.
 */
export const OrderRefundRequested = defineEvent(
  'orders.order_refund_requested.v1',
  z.object({
    orderId: z.uuid(),
    orderNumber: z.string(),
    refundId: z.uuid(),
    amountMinor: z.number().int().positive(),
    currency: z.string().length(3),
    reason: z.string().max(500),
  }),
);
