/**
 * Expected failures of cart operations, each with a stable code clients can branch on.
 * The api layer alone decides which HTTP status each becomes.
 */
export type CartError =
  | { code: 'CART.VARIANT_NOT_FOUND'; variantId: string; message: string }
  | { code: 'CART.VARIANT_UNAVAILABLE'; variantId: string; message: string }
  | { code: 'CART.INSUFFICIENT_STOCK'; variantId: string; available: number; message: string }
  | { code: 'CART.QUANTITY_LIMIT'; variantId: string; maxQuantity: number; message: string }
  | { code: 'CART.LINE_LIMIT'; maxLines: number; message: string }
  | { code: 'CART.CURRENCY_MISMATCH'; cartCurrency: string; variantCurrency: string; message: string }
  | { code: 'CART.LINE_NOT_FOUND'; variantId: string; message: string };

export type CartErrorCode = CartError['code'];

export const cartErrors = {
  variantNotFound: (variantId: string): CartError => ({
    code: 'CART.VARIANT_NOT_FOUND',
    variantId,
    message: `Variant ${variantId} does not exist`,
  }),
  variantUnavailable: (variantId: string): CartError => ({
    code: 'CART.VARIANT_UNAVAILABLE',
    variantId,
    message: `Variant ${variantId} cannot be bought`,
  }),
  insufficientStock: (variantId: string, available: number): CartError => ({
    code: 'CART.INSUFFICIENT_STOCK',
    variantId,
    available,
    message: `Only ${available} of variant ${variantId} available`,
  }),
  quantityLimit: (variantId: string, maxQuantity: number): CartError => ({
    code: 'CART.QUANTITY_LIMIT',
    variantId,
    maxQuantity,
    message: `At most ${maxQuantity} of one variant per cart`,
  }),
  lineLimit: (maxLines: number): CartError => ({
    code: 'CART.LINE_LIMIT',
    maxLines,
    message: `A cart holds at most ${maxLines} different variants`,
  }),
  currencyMismatch: (cartCurrency: string, variantCurrency: string): CartError => ({
    code: 'CART.CURRENCY_MISMATCH',
    cartCurrency,
    variantCurrency,
    message: `The cart is in ${cartCurrency}; this variant is priced in ${variantCurrency}`,
  }),
  lineNotFound: (variantId: string): CartError => ({
    code: 'CART.LINE_NOT_FOUND',
    variantId,
    message: `Variant ${variantId} is not in the cart`,
  }),
};
