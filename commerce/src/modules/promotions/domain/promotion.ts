/**
 * - `percentage`: `value` basis points off the merchandise subtotal (1000 = 10%);
 * - `fixed_amount`: `value` minor units of `currency` off the subtotal (never below zero);
 * - `free_shipping`: the shipping charge (value 0).
 */
export type PromotionKind = 'percentage' | 'fixed_amount' | 'free_shipping';
export const PROMOTION_KINDS = ['percentage', 'fixed_amount', 'free_shipping'] as const;

export interface Promotion {
  id: string;
  /** Upper case; null for an automatic promotion, which applies without one. */
  code: string | null;
  name: string;
  kind: PromotionKind;
  value: number;
  /** The currency `value` and `minSubtotalMinor` are in; null: any currency (percentage or free shipping with no minimum). */
  currency: string | null;
  minSubtotalMinor: number;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Orders that may use it in total; null: unlimited. */
  usageLimit: number | null;
  /** Orders one customer (by email) may use it on; null: unlimited. */
  perCustomerLimit: number | null;
  usedCount: number;
  disabledAt: Date | null;
  createdAt: Date;
}

/** Why a promotion does not apply; stable codes the storefront turns into words. */
export type PromotionRefusal =
  | 'NOT_FOUND'
  | 'DISABLED'
  | 'NOT_STARTED'
  | 'EXPIRED'
  | 'CURRENCY'
  | 'MIN_SUBTOTAL'
  | 'USED_UP'
  | 'CUSTOMER_LIMIT'
  | 'BETTER_PROMOTION_APPLIED';

/** A code normalised the way it is stored: trimmed, upper case. */
export const normaliseCode = (code: string): string => code.trim().toUpperCase();
