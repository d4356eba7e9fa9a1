import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminProductDetail } from './catalog.dto.ts';

/** Any product, draft or not, with its stock figures. */
export async function getAdminProduct(ctx: CatalogContext, id: string): Promise<Result<AdminProductDetail, CatalogError>> {
  const product = await ctx.products.findProduct(ctx.db, { id });
  if (!product) return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${id} not found`));
  return ok(await ctx.productDetails.loadProductDetail(ctx.db, product));
}
