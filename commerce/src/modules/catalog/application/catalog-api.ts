import type { Sql } from '../../../shared/database/index.ts';

/** What the cart (and later orders) need to know about a variant, as of now. */
export interface VariantSnapshot {
  variantId: string;
  productId: string;
  sku: string;
  productName: string;
  /** e.g. `{ size: 'M', colour: 'Blue' }` */
  options: Record<string, string>;
  priceMinor: number;
  currency: string;
  /** on hand minus reserved, never below 0 */
  available: number;
  /** false when the product is a draft; such variants cannot be bought. */
  purchasable: boolean;
  imageUrl: string | null;
  /** grams, for weight-based shipping rates */
  weightGrams: number;
}

/**
 * The catalog's public interface to other modules. Other modules never read the
 * `catalog` schema; they call this.
 */
export interface CatalogApi {
  /** Snapshots for the ids that exist; unknown or deleted ids are simply absent from the result. */
  getVariants(variantIds: readonly string[]): Promise<VariantSnapshot[]>;
}

export type { Sql };
