import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { StockAdjustment } from './catalog.dto.ts';

/** A variant's most recent stock adjustments, newest first. */
export async function listStockAdjustments(
  ctx: CatalogContext,
  variantId: string,
  limit: number,
): Promise<Result<StockAdjustment[], CatalogError>> {
  if (!(await ctx.variants.findVariant(ctx.db, variantId))) {
    return fail(catalogError('CATALOG.VARIANT_NOT_FOUND', `Variant ${variantId} not found`));
  }
  return ok(await ctx.stockAdjustments.listAdjustments(ctx.db, variantId, limit));
}
