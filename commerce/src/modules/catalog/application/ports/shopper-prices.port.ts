import type { FastifyRequest } from 'fastify';

/** A variant's catalog price, as the pricing module takes it. */
export interface CatalogPrice {
  variantId: string;
  priceMinor: number;
  currency: string;
  purchasable: boolean;
}

/**
 * Prices in the shopper's region, from the pricing module's public API (wired by the composition
 * root). Without it shoppers see the catalog's own prices.
 */
export interface ShopperPrices {
  /** The currency of the region with this id; null when there is no such region. */
  currencyOfRegion(regionId: string): Promise<string | null>;
  /** The currency of the region the request names (`x-region` header, `region` cookie); null when none. */
  currencyOf(request: FastifyRequest): Promise<string | null>;
  /** Variants priced in `currency`: explicit price, else conversion; one with neither comes back not purchasable. */
  priceIn<T extends CatalogPrice>(currency: string, items: readonly T[]): Promise<T[]>;
  /** An amount converted at the rate of the region selling in `to`; null when there is no rate from `from`. */
  convert(amountMinor: number, from: string, to: string): Promise<number | null>;
}
