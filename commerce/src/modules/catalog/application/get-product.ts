import { UUID_TEXT } from '../domain/identifiers.ts';
import { SLUG_PATTERN } from '../domain/category-path.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { Sql } from '../../../shared/database/database.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { ProductDetail } from './catalog.dto.ts';
import { toShopperDetail } from './product-views.ts';

/**
 * A published product by id or slug; drafts are reported missing, exactly like unknown ones.
 * Shopper reads are cached; `from: ctx.db` reads the primary, uncached (staff see their own writes).
 */
export async function getProduct(ctx: CatalogContext, idOrSlug: string, from: Sql = ctx.shopperReads): Promise<Result<ProductDetail, CatalogError>> {
  const missing = fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${idOrSlug} not found`));
  // Neither an id nor a slug: it cannot exist, and it never reaches SQL.
  if (!UUID_TEXT.test(idOrSlug) && !SLUG_PATTERN.test(idOrSlug)) return missing;
  return ctx.readCache && from === ctx.shopperReads
    ? ctx.readCache.get(`product:${idOrSlug}`, () => loadProduct(ctx, idOrSlug, from), 'counts')
    : loadProduct(ctx, idOrSlug, from);
}

async function loadProduct(ctx: CatalogContext, idOrSlug: string, from: Sql): Promise<Result<ProductDetail, CatalogError>> {
  const missing = fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${idOrSlug} not found`));
  const byId = UUID_TEXT.test(idOrSlug) ? await ctx.products.findProduct(from, { id: idOrSlug }, { publishedOnly: true }) : null;
  const product = byId ?? (await ctx.products.findProduct(from, { slug: idOrSlug }, { publishedOnly: true }));
  if (!product) return missing;
  return ok(toShopperDetail(await ctx.productDetails.loadProductDetail(from, product)));
}
