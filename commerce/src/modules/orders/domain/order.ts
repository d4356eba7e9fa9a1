import type { z } from 'zod';
import type { addressSchema, appliedPromotionSchema, orderLineSchema, orderPricingSchema, taxLineSchema } from '../../../events/orders.events.ts';
import type { OrderStatus } from './order-status.ts';

export type Address = z.output<typeof addressSchema>;
/** A line as bought: a snapshot of the catalog at checkout, never re-read. */
export type OrderLine = z.output<typeof orderLineSchema>;
export type TaxLine = z.output<typeof taxLineSchema>;
export type AppliedPromotion = z.output<typeof appliedPromotionSchema>;
/** Region, taxes and discounts of an order; see orderPricingSchema for how the amounts add up. */
export type OrderPricing = z.output<typeof orderPricingSchema>;

export type CancelReason = 'payment_failed' | 'payment_expired' | 'admin' | 'customer';

export interface Order extends OrderPricing {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  /** null for a guest order */
  userId: string | null;
  email: string;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  totalMinor: number;
  lines: OrderLine[];
  shippingAddress: Address;
  shippingOption: { id: string; name: string; priceMinor: number };
  /** What the payment captured; 0 until then. What a refund gives back. */
  paidMinor: number;
  cancelReason: CancelReason | null;
  /** sha256 of the guest's access token; null for signed-in customers' orders. */
  accessTokenHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One row of the order's timeline: a status change, when, and what caused it. */
export interface OrderTimelineEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  cause: string;
  eventId: string | null;
  at: Date;
}
