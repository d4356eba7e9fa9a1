import type { ProductSort } from '../domain/product-listing.ts';

/** The catalog's DTOs: what its HTTP API returns and its use cases accept. */

export type ProductStatus = 'draft' | 'published';

export interface CategoryRef {
  id: string;
  slug: string;
  name: string;
}

export interface Category extends CategoryRef {
  parentId: string | null;
  /** Slugs from the root, e.g. `men/shirts`. */
  path: string;
  position: number;
}

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

/** One row of a shopper listing. */
export interface ProductSummary {
  id: string;
  slug: string;
  name: string;
  status: ProductStatus;
  categoryId: string | null;
  /** The cheapest variant's price ("from ..."); null while the product has no variant. */
  priceMinor: number | null;
  currency: string | null;
  imageUrl: string | null;
  inStock: boolean;
  /**
   * The variant an "add to cart" button on the listing adds: the first in stock in display
   * order, else the first; null while the product has no variant.
   */
  defaultVariantId: string | null;
  createdAt: string;
}

export interface ProductPage {
  items: ProductSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Asked for with `facets`: what the listing can be narrowed to. */
  facets?: { options: OptionFacet[]; categories: CategoryFacet[] };
  /**
   * Set when `q` found nothing and a spelling of it made of catalog words did: the items are the
   * results of this text ("showing results for hoodie" when asked for "hoddie").
   */
  correctedQuery?: string;
}

/**
 * A category and how many of the listing's products lie in it or below it (what `category=<slug>`
 * would list), counted with every filter but the category.
 */
export interface CategoryFacet {
  slug: string;
  name: string;
  path: string;
  count: number;
}

/** One option (size, colour...) and the values the listing's products have, each with how many products. */
export interface OptionFacet {
  name: string;
  values: Array<{ value: string; count: number }>;
}

export interface VariantView {
  id: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  currency: string;
  weightGrams: number;
  available: number;
  position: number;
}

export interface AdminVariantView extends VariantView {
  productId: string;
  onHand: number;
  reserved: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductDetail {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  images: string[];
  /** Root first, this product's category last; empty when uncategorised. */
  categoryPath: CategoryRef[];
  inStock: boolean;
  variants: VariantView[];
  createdAt: string;
  updatedAt: string;
}

export interface AdminProductDetail extends Omit<ProductDetail, 'variants'> {
  categoryId: string | null;
  variants: AdminVariantView[];
}

export interface StockAdjustment {
  id: string;
  variantId: string;
  delta: number;
  reason: string;
  /** The admin who made it. */
  actorId: string;
  onHandAfter: number;
  createdAt: string;
}

export interface ProductListQuery {
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  q?: string;
  inStock?: boolean;
  /** Option name to accepted values (see `groupOptionTerms`). */
  options?: Record<string, string[]>;
  /** Also answer the option facets. */
  facets?: boolean;
  /** Defaults to `relevance` with `q`, else `newest`. */
  sort?: ProductSort;
  limit: number;
  cursor?: string;
  /** Admin listings only: include drafts, optionally only one status. */
  includeDrafts?: boolean;
  status?: ProductStatus;
}

export interface CreateProductInput {
  slug: string;
  name: string;
  description?: string;
  status?: ProductStatus;
  categoryId?: string | null;
  images?: string[];
}

export type UpdateProductInput = Partial<CreateProductInput>;

export interface CreateVariantInput {
  sku: string;
  options?: Record<string, string>;
  priceMinor: number;
  currency: string;
  weightGrams: number;
  /** Opening stock, recorded as the first stock adjustment. */
  onHand?: number;
  position?: number;
}

export type UpdateVariantInput = Partial<Omit<CreateVariantInput, 'onHand'>>;

export interface CreateCategoryInput {
  slug: string;
  name: string;
  parentId?: string | null;
  position?: number;
}

export type UpdateCategoryInput = Partial<CreateCategoryInput>;

export interface StockAdjustmentInput {
  delta: number;
  reason: string;
}

export type { ProductSort };
