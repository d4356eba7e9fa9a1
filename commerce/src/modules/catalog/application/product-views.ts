import type { AdminProductDetail, ProductDetail } from './catalog.dto.ts';

/** What a shopper may see of a product: availability, but not the stock ledger behind it. */
export function toShopperDetail(detail: AdminProductDetail): ProductDetail {
  const { categoryId: _categoryId, variants, ...rest } = detail;
  return {
    ...rest,
    variants: variants.map(({ id, sku, options, priceMinor, currency, weightGrams, available, position }) => ({
      id,
      sku,
      options,
      priceMinor,
      currency,
      weightGrams,
      available,
      position,
    })),
  };
}
