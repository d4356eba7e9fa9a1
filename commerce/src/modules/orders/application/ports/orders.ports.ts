// What orders needs from other modules: their public types, and two small ports of its own
// that the composition root wires to the shipping and users modules.
export type { CatalogApi, StockLine } from '../../../catalog/index.ts';
export type { CartApi, CartOwner, CheckoutCart } from '../../../cart/index.ts';

export interface ShippingQuoteRequest {
  /** Whole parcel, grams. */
  weightGrams: number;
  subtotalMinor: number;
  currency: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  postalCode: string;
}

export interface ShippingQuoteOption {
  id: string;
  name: string;
  priceMinor: number;
  currency: string;
}

export type ShippingQuoteResult = { ok: true; options: ShippingQuoteOption[] } | { ok: false; code: string; message: string };

/** Shipping prices for a parcel, asked at checkout so the order records what the shopper was quoted. */
export interface ShippingQuotes {
  quote(request: ShippingQuoteRequest): Promise<ShippingQuoteResult>;
}

/** A signed-in customer's email, for the order confirmation when the checkout body gives none. */
export interface CustomerDirectory {
  emailOf(userId: string): Promise<string | null>;
}

export type { PromotionDecision, PromotionsApi, RedeemInput, RedeemResult } from '../../../promotions/index.ts';
export type { TaxQuote, TaxQuoteError, TaxQuoteRequest } from '../../../pricing/index.ts';
import type { Result } from '@shop/platform/result';
import type { PromotionsApi } from '../../../promotions/index.ts';
import type { TaxQuote, TaxQuoteError, TaxQuoteRequest } from '../../../pricing/index.ts';

/** What checkout asks of promotions: which apply, and counting their use in the checkout's transaction. */
export type OrderPromotions = Pick<PromotionsApi, 'decide' | 'redeem'>;

/** What checkout asks of pricing: the order's tax lines in the region of its currency. */
export interface OrderTaxes {
  quoteTaxes(request: TaxQuoteRequest): Promise<Result<TaxQuote, TaxQuoteError>>;
}
