/**
 * What the cart needs to know about a variant right now. The catalog's `VariantSnapshot`
 * satisfies it structurally, so the domain depends on no other module.
 */
export interface VariantOffer {
  variantId: string;
  productName: string;
  sku: string;
  priceMinor: number;
  currency: string;
  available: number;
  purchasable: boolean;
}
