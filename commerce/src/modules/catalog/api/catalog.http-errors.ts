import { HttpError } from '@shop/platform';
import type { CatalogError, CatalogErrorCode } from '../domain/catalog.errors.ts';
import type { Result } from '@shop/platform/result';

/** The one place that decides what each catalog failure means in HTTP. */
const STATUS: Record<CatalogErrorCode, number> = {
  'CATALOG.PRODUCT_NOT_FOUND': 404,
  'CATALOG.VARIANT_NOT_FOUND': 404,
  'CATALOG.CATEGORY_NOT_FOUND': 404,
  'CATALOG.UNKNOWN_CATEGORY': 400,
  'CATALOG.UNKNOWN_PARENT': 400,
  'CATALOG.INVALID_CURSOR': 400,
  'CATALOG.RELEVANCE_NEEDS_QUERY': 400,
  'CATALOG.CATEGORY_CYCLE': 409,
  'CATALOG.SKU_TAKEN': 409,
  'CATALOG.PRODUCT_SLUG_TAKEN': 409,
  'CATALOG.CATEGORY_SLUG_TAKEN': 409,
  'CATALOG.CATEGORY_HAS_CHILDREN': 409,
  'CATALOG.CATEGORY_HAS_PRODUCTS': 409,
  'CATALOG.STOCK_BELOW_RESERVED': 409,
  'CATALOG.STOCK_LIMIT': 409,
  'CATALOG.VARIANT_RESERVED': 409,
  'CATALOG.IMAGE_UNSUPPORTED': 415,
  'CATALOG.TOO_MANY_IMAGES': 409,
  'CATALOG.UNKNOWN_REGION': 400,
};

export const toHttpError = (error: CatalogError): HttpError =>
  new HttpError(STATUS[error.code], error.code, error.message, error.field ? { field: error.field } : undefined);

/** The value of a successful result; a failed one becomes the HttpError the error handler answers with. */
export function unwrap<T>(result: Result<T, CatalogError>): T {
  if (!result.ok) throw toHttpError(result.error);
  return result.value;
}
