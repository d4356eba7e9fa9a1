import type { ShipmentStatus } from '../domain/shipment.ts';

/** One way to ship, as checkout shows it. Prices are integer minor units of `currency`. */
export interface ShippingQuoteOption {
  id: string;
  name: string;
  priceMinor: number;
  currency: string;
  /** Business days. */
  estimatedDays?: { min: number; max: number };
}

export interface QuoteRequest {
  weightGrams: number;
  subtotalMinor: number;
  /** The currency the order is in; a carrier pricing in another currency is refused. */
  currency: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  postalCode?: string;
}

export interface ShipmentView {
  id: string;
  orderId: string;
  orderNumber: string;
  optionId: string;
  carrier: string;
  trackingNumber: string;
  labelUrl: string;
  status: ShipmentStatus;
  createdAt: string;
  updatedAt: string;
}

/** What the label purchase needs of a paid order (the `orders.order_paid.v1` payload fits). */
export interface PaidOrder {
  orderId: string;
  orderNumber: string;
  shippingOptionId: string;
  shippingAddress: { name: string; line1: string; line2?: string; city: string; postalCode: string; country: string };
  lines: ReadonlyArray<{ quantity: number; weightGrams: number }>;
}
