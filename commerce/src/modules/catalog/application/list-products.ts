import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { decodeCursor, encodeCursor, type ProductCursor } from '../domain/product-listing.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { Sql } from '../../../shared/database/database.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { ProductListQuery, ProductPage } from './catalog.dto.ts';

/**
 * One page of products: shoppers see published ones only; admins pass `includeDrafts`.
 * Read from `from`: the shopper reads (maybe a standby) unless the caller wants the primary.
 */
export async function listProducts(ctx: CatalogContext, query: ProductListQuery, from: Sql = query.includeDrafts ? ctx.db : ctx.shopperReads): Promise<Result<ProductPage, CatalogError>> {
  const sort = query.sort ?? (query.q !== undefined ? 'relevance' : 'newest');
  if (sort === 'relevance' && query.q === undefined) {
    return fail(catalogError('CATALOG.RELEVANCE_NEEDS_QUERY', 'sort: relevance needs a search text in q', 'sort'));
  }
  let cursor: ProductCursor | null = null;
  if (query.cursor !== undefined) {
    const decoded = decodeCursor(query.cursor, sort);
    if (!decoded.ok) return decoded;
    cursor = decoded.value;
  }
  const [rows, facets] = await Promise.all([
    ctx.productListing.queryProducts(from, { ...query, sort }, cursor),
    query.facets ? ctx.productListing.queryOptionFacets(from, query) : undefined,
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last !== undefined;
  return ok({
    items: page.map((row) => row.summary),
    nextCursor: more ? encodeCursor({ sort, key: last.cursorKey, id: last.summary.id }) : null,
    ...(facets ? { facets: { options: facets } } : {}),
  });
}
