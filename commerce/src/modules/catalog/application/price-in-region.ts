import type { ProductDetail, ProductPage } from './catalog.dto.ts';
import type { ShopperPrices } from './ports/shopper-prices.port.ts';

/**
 * A listing page with each "from" price in `currency`: the cheapest variant's catalog price
 * converted at the region's rate (docs/adr/0080). Conversion is monotonic, so the cheapest stays
 * the cheapest and the `price` sort (made on catalog prices) stays in order; explicit per-currency
 * prices are shown on the product page and charged in the cart, not here. A product with no rate
 * into `currency` shows no price.
 */
export async function pricePageIn(prices: ShopperPrices, currency: string, page: ProductPage): Promise<ProductPage> {
  const items = await Promise.all(
    page.items.map(async (item) => {
      if (item.priceMinor === null || item.currency === null || item.currency === currency) return item;
      const converted = await prices.convert(item.priceMinor, item.currency, currency);
      return { ...item, priceMinor: converted, currency: converted === null ? null : currency };
    }),
  );
  return { ...page, items };
}

/**
 * A product's variants priced in `currency` exactly as the cart will charge them (explicit price,
 * else conversion); a variant with no price there shows none available, so it cannot be added.
 */
export async function priceDetailIn(prices: ShopperPrices, currency: string, detail: ProductDetail): Promise<ProductDetail> {
  const priced = await prices.priceIn(
    currency,
    detail.variants.map((v) => ({ variantId: v.id, priceMinor: v.priceMinor, currency: v.currency, purchasable: true })),
  );
  const variants = detail.variants.map((v, i) => {
    const p = priced[i]!;
    return { ...v, priceMinor: p.priceMinor, currency: p.currency, available: p.purchasable ? v.available : 0 };
  });
  return { ...detail, variants, inStock: variants.some((v) => v.available > 0) };
}
