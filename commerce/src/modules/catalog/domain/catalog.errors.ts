/**
 * Every expected failure of the catalog, with a stable code clients may branch on.
 * The api layer alone decides which HTTP status each code becomes.
 */
export type CatalogErrorCode =
  | 'CATALOG.PRODUCT_NOT_FOUND'
  | 'CATALOG.VARIANT_NOT_FOUND'
  | 'CATALOG.CATEGORY_NOT_FOUND'
  | 'CATALOG.UNKNOWN_CATEGORY'
  | 'CATALOG.UNKNOWN_PARENT'
  | 'CATALOG.CATEGORY_CYCLE'
  | 'CATALOG.SKU_TAKEN'
  | 'CATALOG.PRODUCT_SLUG_TAKEN'
  | 'CATALOG.CATEGORY_SLUG_TAKEN'
  | 'CATALOG.CATEGORY_HAS_CHILDREN'
  | 'CATALOG.CATEGORY_HAS_PRODUCTS'
  | 'CATALOG.STOCK_BELOW_RESERVED'
  | 'CATALOG.STOCK_LIMIT'
  | 'CATALOG.VARIANT_RESERVED'
  | 'CATALOG.INVALID_CURSOR'
  | 'CATALOG.RELEVANCE_NEEDS_QUERY'
  | 'CATALOG.IMAGE_UNSUPPORTED'
  | 'CATALOG.TOO_MANY_IMAGES'
  | 'CATALOG.UNKNOWN_REGION';

export interface CatalogError {
  code: CatalogErrorCode;
  message: string;
  /** The input field at fault, when there is one (e.g. `body.sku`). */
  field?: string;
}

export const catalogError = (code: CatalogErrorCode, message: string, field?: string): CatalogError =>
  field ? { code, message, field } : { code, message };
