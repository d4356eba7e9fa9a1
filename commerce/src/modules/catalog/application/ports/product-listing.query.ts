import type { Sql } from '../../../../shared/database/database.ts';
import type { CategoryFacet, OptionFacet, ProductListQuery, ProductSummary } from '../catalog.dto.ts';
import type { ProductCursor, ProductSort } from '../../domain/product-listing.ts';

export interface ListedProduct {
  summary: ProductSummary;
  /** Sort key of this row, for the cursor that continues after it. */
  cursorKey: number | string;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface ProductListingQuery {
  /** The filtered, sorted page after `cursor`, with one extra row to tell whether another page follows. */
  queryProducts(sql: Sql, query: ProductListQuery & { sort: ProductSort }, cursor: ProductCursor | null): Promise<ListedProduct[]>;
  /** Per option, the values the listing's products offer and how many products have each (the option's own selection left out). */
  queryOptionFacets(sql: Sql, query: ProductListQuery): Promise<OptionFacet[]>;
  /** Per category with listed products in it or below it, how many (the category selection left out). */
  queryCategoryFacets(sql: Sql, query: ProductListQuery): Promise<CategoryFacet[]>;
  /** `text` with each word that is no catalog word replaced by the nearest catalog word; null when nothing changed. */
  suggestSpelling(sql: Sql, text: string): Promise<string | null>;
}
