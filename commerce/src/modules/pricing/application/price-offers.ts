import { convertPrice } from '../domain/convert-price.ts';
import type { PricingContext } from './pricing.context.ts';

/** The part of a catalog snapshot a price depends on. */
export interface PricedItem {
  variantId: string;
  priceMinor: number;
  currency: string;
  purchasable: boolean;
}

/**
 * Items priced in `currency`: the catalog's own price when it is in that currency, else the
 * variant's explicit price there, else the region's conversion from the catalog price. An item
 * with none of these cannot be bought in that currency (purchasable false). One read, and only
 * when some item is not already in `currency`.
 */
export async function priceOffers<T extends PricedItem>(ctx: PricingContext, currency: string, items: readonly T[]): Promise<T[]> {
  const foreign = items.filter((i) => i.currency !== currency);
  if (foreign.length === 0) return [...items];
  const region = (await ctx.regions()).find((r) => r.currency === currency);
  const explicit = await ctx.repository.explicitPrices(ctx.db, currency, foreign.map((i) => i.variantId));
  return items.map((item) => {
    if (item.currency === currency) return item;
    const own = explicit.get(item.variantId);
    if (own !== undefined) return { ...item, priceMinor: own, currency };
    if (region?.fxFrom === item.currency && region.fxRateMicros !== null) {
      return { ...item, priceMinor: convertPrice(item.priceMinor, item.currency, region.fxRateMicros, currency), currency };
    }
    return { ...item, currency, purchasable: false };
  });
}
