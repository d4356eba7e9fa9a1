import type { Sql } from '../../../shared/database/database.ts';
import type { ProductListingQuery } from './ports/product-listing.query.ts';
import type { ReadCache } from './read-cache.ts';

/**
 * `repository` with every method not named in `readers` treated as a write: it clears the cache
 * when called, and again when its transaction commits (a read between the two could have cached
 * the old rows), and `announce` tells other instances. A method added later is a write until
 * listed as a reader, so the cache can only be cleared too often, never too seldom.
 */
export function clearingOnWrite<R extends object>(repository: R, readers: ReadonlyArray<keyof R>, cache: ReadCache, announce: (sql: Sql) => Promise<void>): R {
  const wrapped = { ...repository } as Record<string, unknown>;
  for (const [name, method] of Object.entries(repository)) {
    if (typeof method !== 'function' || readers.includes(name as keyof R)) continue;
    wrapped[name] = async (sql: Sql, ...rest: unknown[]) => {
      cache.clear();
      const result: unknown = await (method as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      cache.clear();
      sql.onCommit?.(() => cache.clear());
      await announce(sql);
      return result;
    };
  }
  return wrapped as R;
}

/**
 * Shopper listing pages, their facets and spelling suggestions (drafts excluded) read from
 * `shopperReads()` come from the cache; reads in a transaction or on the primary (staff) go to the database.
 * A listing shows whether a product is in stock, never how many are left: its entries last until a notice.
 */
export function cachedListing(listing: ProductListingQuery, shopperReads: () => Sql, cache: ReadCache): ProductListingQuery {
  return {
    queryProducts(sql, query, cursor) {
      if (sql !== shopperReads() || query.includeDrafts) return listing.queryProducts(sql, query, cursor);
      return cache.get(`list:${JSON.stringify([query, cursor])}`, () => listing.queryProducts(sql, query, cursor), 'state');
    },
    queryOptionFacets(sql, query) {
      if (sql !== shopperReads() || query.includeDrafts) return listing.queryOptionFacets(sql, query);
      return cache.get(`facets:${JSON.stringify(query)}`, () => listing.queryOptionFacets(sql, query), 'state');
    },
    queryCategoryFacets(sql, query) {
      if (sql !== shopperReads() || query.includeDrafts) return listing.queryCategoryFacets(sql, query);
      return cache.get(`category-facets:${JSON.stringify(query)}`, () => listing.queryCategoryFacets(sql, query), 'state');
    },
    suggestSpelling(sql, text) {
      if (sql !== shopperReads()) return listing.suggestSpelling(sql, text);
      return cache.get(`spelling:${text}`, () => listing.suggestSpelling(sql, text), 'state');
    },
  };
}
