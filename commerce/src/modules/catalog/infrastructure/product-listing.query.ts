import type { Sql } from '../../../shared/database/index.ts';
import type { ProductListQuery, ProductStatus } from '../application/catalog.dto.ts';
import type { ProductCursor, ProductSort } from '../domain/product-listing.ts';
import type { ListedProduct, ProductListingQuery } from '../application/ports/product-listing.query.ts';

interface ListingRow {
  id: string;
  slug: string;
  name: string;
  status: ProductStatus;
  category_id: string | null;
  from_price_minor: number | null;
  from_price_currency: string | null;
  image_url: string | null;
  in_stock: boolean;
  default_variant_id: string | null;
  created_at: Date;
  name_key: string;
  rank: number;
}


/**
 * Each sort is a total order: its key, then the id. Keyset pagination compares the
 * (key, id) pair with the last row seen, so rows with equal prices or names are neither
 * skipped nor repeated, whatever is inserted meanwhile.
 */
const SORTS: Record<ProductSort, { orderBy: string; after: (k: string, id: string) => string }> = {
  newest: {
    orderBy: 'p.created_at desc, p.id desc',
    after: (k, id) => `(p.created_at, p.id) < (${k}::timestamptz, ${id}::uuid)`,
  },
  price_asc: {
    orderBy: 'coalesce(p.from_price_minor, -1) asc, p.id asc',
    after: (k, id) => `(coalesce(p.from_price_minor, -1), p.id) > (${k}::bigint, ${id}::uuid)`,
  },
  price_desc: {
    orderBy: 'coalesce(p.from_price_minor, -1) desc, p.id desc',
    after: (k, id) => `(coalesce(p.from_price_minor, -1), p.id) < (${k}::bigint, ${id}::uuid)`,
  },
  // "C" collation: the same byte order on every engine and locale, so pages agree with the index.
  name: {
    orderBy: 'p.name_key collate "C" asc, p.id asc',
    after: (k, id) => `(p.name_key collate "C", p.id) > (${k}::text collate "C", ${id}::uuid)`,
  },
  relevance: {
    orderBy: 'rank desc, p.id asc',
    after: (k, id) => `(rank < ${k}::real or (rank = ${k}::real and p.id > ${id}::uuid))`,
  },
};

/** The first variant in stock in display order, else the first (see ProductSummary.defaultVariantId). */
const DEFAULT_VARIANT = `(select v.id from catalog.variants v where v.product_id = p.id
  order by (v.on_hand > v.reserved) desc, v.position, v.id limit 1)`;

/** The filtered, sorted page after `cursor`, with one extra row to tell whether another page follows. */
export async function queryProducts(
  sql: Sql,
  query: ProductListQuery & { sort: ProductSort },
  cursor: ProductCursor | null,
): Promise<ListedProduct[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (!query.includeDrafts) {
    where.push(`p.status = 'published'`);
    // Without a variant there is nothing a shopper could buy or a price to show.
    where.push('p.from_price_minor is not null');
  } else if (query.status) {
    where.push(`p.status = ${param(query.status)}`);
  }
  if (query.category !== undefined) {
    where.push(`p.category_id in (
      select c.id from catalog.categories c, catalog.categories root
      where root.slug = ${param(query.category)} and (c.path = root.path or c.path like root.path || '/%'))`);
  }
  if (query.minPrice !== undefined) where.push(`p.from_price_minor >= ${param(query.minPrice)}`);
  if (query.maxPrice !== undefined) where.push(`p.from_price_minor <= ${param(query.maxPrice)}`);
  const inStock = 'exists (select 1 from catalog.variants v where v.product_id = p.id and v.on_hand > v.reserved)';
  if (query.inStock !== undefined) where.push(query.inStock ? inStock : `not ${inStock}`);
  let rank = '0::real';
  if (query.q !== undefined) {
    const tsquery = `websearch_to_tsquery('english', ${param(query.q)})`;
    where.push(`p.search @@ ${tsquery}`);
    rank = `ts_rank(p.search, ${tsquery})`;
  }
  const sort = SORTS[query.sort];
  const outer: string[] = [];
  if (cursor) outer.push(sort.after(param(cursor.key), param(cursor.id)));

  // The inner select names `rank` so the relevance order and its keyset condition can use it.
  const { rows } = await sql.query<ListingRow>(
    `select * from (
       select p.id, p.slug, p.name, p.status, p.category_id, p.from_price_minor, p.from_price_currency,
              p.images ->> 0 as image_url, ${inStock} as in_stock, ${DEFAULT_VARIANT} as default_variant_id, p.created_at,
              lower(p.name) collate "C" as name_key, ${rank} as rank
       from catalog.products p
       ${where.length ? `where ${where.join(' and ')}` : ''}
     ) p
     ${outer.length ? `where ${outer.join(' and ')}` : ''}
     order by ${sort.orderBy}
     limit ${param(query.limit + 1)}`,
    params,
  );
  return rows.map((row) => ({
    summary: {
      id: row.id,
      slug: row.slug,
      name: row.name,
      status: row.status,
      categoryId: row.category_id,
      priceMinor: row.from_price_minor,
      currency: row.from_price_currency,
      imageUrl: row.image_url,
      inStock: row.in_stock,
      defaultVariantId: row.default_variant_id,
      createdAt: row.created_at.toISOString(),
    },
    cursorKey: cursorKeyOf(query.sort, row),
  }));
}

function cursorKeyOf(sort: ProductSort, row: ListingRow): number | string {
  switch (sort) {
    case 'newest':
      return row.created_at.toISOString();
    case 'price_asc':
    case 'price_desc':
      return row.from_price_minor ?? -1;
    case 'name':
      return row.name_key;
    case 'relevance':
      return row.rank;
  }
}

/** The ProductListingQuery port over PostgreSQL/PGlite. */
export const productListingQuery: ProductListingQuery = { queryProducts };
