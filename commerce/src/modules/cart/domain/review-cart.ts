import type { Cart, CartLine } from './cart.ts';
import type { VariantOffer } from './variant-offer.ts';

export type CartIssueCode = 'CART.PRICE_CHANGED' | 'CART.VARIANT_UNAVAILABLE' | 'CART.INSUFFICIENT_STOCK';

export interface CartIssue {
  code: CartIssueCode;
  variantId: string;
  message: string;
}

export interface ReviewedLine<O extends VariantOffer> {
  line: CartLine;
  /** The catalog's current view of the variant; undefined when it vanished. */
  offer: O | undefined;
  /** Current price for a line that can be bought; the stored one otherwise. */
  unitPriceMinor: number;
  lineTotalMinor: number;
  priceChanged: { was: number; now: number } | null;
  unavailable: boolean;
  insufficientStock: { available: number } | null;
}

export interface CartReview<O extends VariantOffer> {
  lines: ReviewedLine<O>[];
  currency: string | null;
  subtotalMinor: number;
  itemCount: number;
  hasIssues: boolean;
  issues: CartIssue[];
}

/**
 * A variant can stay in the cart while it exists and is on sale. A price in another currency
 * (the shopper chose another region) is a price change like any other: flagged, then accepted.
 */
export function isOfferUsable(_line: CartLine, offer: VariantOffer): boolean {
  return offer.purchasable;
}

/**
 * Compares the stored cart with the catalog as it is now, without changing anything:
 * differences become flags and issues the shopper sees. Totals use current prices of the
 * lines that can still be bought.
 */
export function reviewCart<O extends VariantOffer>(cart: Cart, offers: ReadonlyMap<string, O>): CartReview<O> {
  const issues: CartIssue[] = [];
  let subtotalMinor = 0;
  let itemCount = 0;
  const lines = cart.lines.map((line): ReviewedLine<O> => {
    const offer = offers.get(line.variantId);
    if (!offer || !isOfferUsable(line, offer)) {
      issues.push({
        code: 'CART.VARIANT_UNAVAILABLE',
        variantId: line.variantId,
        message: `${line.productName} (${line.sku}) can no longer be bought`,
      });
      return {
        line,
        offer,
        unitPriceMinor: line.unitPriceMinor,
        lineTotalMinor: 0,
        priceChanged: null,
        unavailable: true,
        insufficientStock: null,
      };
    }
    const priceChanged =
      offer.priceMinor === line.unitPriceMinor && offer.currency === line.currency ? null : { was: line.unitPriceMinor, now: offer.priceMinor };
    if (priceChanged) {
      issues.push({
        code: 'CART.PRICE_CHANGED',
        variantId: line.variantId,
        message:
          offer.currency === line.currency
            ? `The price of ${line.productName} (${line.sku}) changed from ${priceChanged.was} to ${priceChanged.now}`
            : `${line.productName} (${line.sku}) is now priced in ${offer.currency} (${priceChanged.now}) instead of ${line.currency} (${priceChanged.was})`,
      });
    }
    const insufficientStock = offer.available < line.quantity ? { available: offer.available } : null;
    if (insufficientStock) {
      issues.push({
        code: 'CART.INSUFFICIENT_STOCK',
        variantId: line.variantId,
        message: `Only ${offer.available} of ${line.productName} (${line.sku}) available`,
      });
    }
    const lineTotalMinor = offer.priceMinor * line.quantity;
    subtotalMinor += lineTotalMinor;
    itemCount += line.quantity;
    return {
      line,
      offer,
      unitPriceMinor: offer.priceMinor,
      lineTotalMinor,
      priceChanged,
      unavailable: false,
      insufficientStock,
    };
  });
  return {
    lines,
    // The currency the totals are in: the current offers' (a region switch shows the new one).
    currency: lines.find((l) => !l.unavailable)?.offer?.currency ?? cart.lines[0]?.currency ?? null,
    subtotalMinor,
    itemCount,
    hasIssues: issues.length > 0,
    issues,
  };
}
