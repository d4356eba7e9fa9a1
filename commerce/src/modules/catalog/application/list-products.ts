import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { decodeCursor, encodeCursor, type ProductCursor, type ProductSort } from '../domain/product-listing.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { Sql } from '../../../shared/database/database.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { ProductListQuery, ProductPage } from './catalog.dto.ts';
import type { ListedProduct } from './ports/product-listing.query.ts';

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
  let answer = await pageOf(ctx, query, sort, cursor, from);
  let correctedQuery: string | undefined;
  // Typo tolerance costs nothing while the text finds something: only an empty answer asks for a spelling.
  if (answer.rows.length === 0 && query.q !== undefined) {
    const suggestion = await ctx.productListing.suggestSpelling(from, query.q);
    const corrected = suggestion === null ? undefined : await pageOf(ctx, { ...query, q: suggestion }, sort, cursor, from);
    if (corrected && corrected.rows.length > 0) {
      answer = corrected;
      correctedQuery = suggestion!;
    }
  }
  const { rows, facets } = answer;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last !== undefined;
  return ok({
    items: page.map((row) => row.summary),
    nextCursor: more ? encodeCursor({ sort, key: last.cursorKey, id: last.summary.id }) : null,
    ...(facets ? { facets } : {}),
    ...(correctedQuery !== undefined ? { correctedQuery } : {}),
  });
}

async function pageOf(
  ctx: CatalogContext,
  query: ProductListQuery,
  sort: ProductSort,
  cursor: ProductCursor | null,
  from: Sql,
): Promise<{ rows: ListedProduct[]; facets?: ProductPage['facets'] }> {
  const [rows, options, categories] = await Promise.all([
    ctx.productListing.queryProducts(from, { ...query, sort }, cursor),
    query.facets ? ctx.productListing.queryOptionFacets(from, query) : undefined,
    query.facets ? ctx.productListing.queryCategoryFacets(from, query) : undefined,
  ]);
  return { rows, ...(options && categories ? { facets: { options, categories } } : {}) };
}
