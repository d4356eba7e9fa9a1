/**
 * A line as stored: the price is the one the shopper saw when adding, so a later catalog
 * change is shown to them (flagged) instead of silently changing what they agreed to.
 * Name and SKU are kept so a line whose variant vanished can still be shown.
 */
export interface CartLine {
  variantId: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
  productName: string;
  sku: string;
}

export interface Cart {
  lines: CartLine[];
  /**
   * Hashes of guest tokens already merged into this (user) cart, newest last, so a repeated
   * or concurrent merge of the same guest cart never adds its quantities twice.
   */
  mergedGuestTokens: string[];
}

export interface CartLimits {
  maxLines: number;
  maxQuantity: number;
}

export const emptyCart = (): Cart => ({ lines: [], mergedGuestTokens: [] });

export const findLine = (cart: Cart, variantId: string): CartLine | undefined =>
  cart.lines.find((line) => line.variantId === variantId);
