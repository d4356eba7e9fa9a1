import type { CartOwner } from '../domain/cart-owner.ts';
import type { CartIssue, CartIssueCode } from '../domain/review-cart.ts';

export type { CartIssue, CartIssueCode, CartOwner };

export interface CartLineView {
  variantId: string;
  /** null when the variant no longer exists in the catalog */
  productId: string | null;
  sku: string;
  productName: string;
  options: Record<string, string>;
  imageUrl: string | null;
  quantity: number;
  /** Current price when the line can be bought; the price the shopper saw otherwise. */
  unitPriceMinor: number;
  /** 0 for an unavailable line: it does not count towards the totals. */
  lineTotalMinor: number;
  currency: string;
  priceChanged: { was: number; now: number } | null;
  unavailable: boolean;
  insufficientStock: { available: number } | null;
}

/** A cart as a shopper sees it: re-checked against the catalog at the moment of reading. */
export interface CartView {
  /** The guest cart's token while a guest cart exists; null for signed-in carts and for no cart. */
  cartToken: string | null;
  lines: CartLineView[];
  currency: string | null;
  subtotalMinor: number;
  itemCount: number;
  hasIssues: boolean;
  issues: CartIssue[];
}

export interface CheckoutLine {
  variantId: string;
  productId: string;
  sku: string;
  productName: string;
  options: Record<string, string>;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
  weightGrams: number;
}

/** A cart ready to become an order: every line buyable now at the price shown. */
export interface CheckoutCart {
  owner: CartOwner;
  currency: string;
  lines: CheckoutLine[];
  subtotalMinor: number;
  itemCount: number;
}

export type CheckoutCartError =
  | { code: 'CART.EMPTY'; message: string }
  | { code: 'CART.HAS_ISSUES'; issues: CartIssue[]; message: string };

export interface MergeSummary {
  /** Variants moved or summed into the user's cart. */
  merged: string[];
  /** Variants left out because the cart was full or in another currency. */
  dropped: string[];
}
