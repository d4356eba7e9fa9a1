import type { Sql } from '../../../shared/database/index.ts';
import type { CategoryFacet, OptionFacet, ProductListQuery, ProductStatus } from '../application/catalog.dto.ts';
import type { ProductCursor, ProductSort } from '../domain/product-listing.ts';
import type { ListedProduct, ProductListingQuery } from '../application/ports/product-listing.query.ts';
import { suggestSpelling } from './search-spelling.query.ts';

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

/**
 * The first variant in stock in display order, else the first (see ProductSummary.defaultVariantId);
 * whether it is in stock is whether the product is. Joined to the page's rows only, after the limit:
 * as an `exists` in the select list, the planner hashed every in-stock variant of the catalog for it.
 */
const DEFAULT_VARIANT = `left join lateral (
  select v.id, v.in_stock from catalog.variants v where v.product_id = p.id
  order by v.in_stock desc, v.position, v.id limit 1) d on true`;

type Param = (value: unknown) => string;

const IN_STOCK = 'exists (select 1 from catalog.variants v where v.product_id = p.id and v.in_stock)';

/**
 * The variant `v` has, for each named option, one of its values. Containment (`@>`) is what the
 * `variants_options_idx` GIN index answers.
 */
function variantMatches(options: Record<string, string[]>, param: Param): string[] {
  return Object.entries(options).map(([name, values]) => `(${values.map((value) => `v.options @> ${param(JSON.stringify({ [name]: value }))}::jsonb`).join(' or ')})`);
}

/**
 * Conditions on the product `p` shared by the page and its facets; `rank` orders a search by relevance.
 * A facet leaves out the selection of what it counts (`without`), so its values stay alternatives.
 */
function productFilters(query: ProductListQuery, param: Param, without?: 'options' | 'category'): { where: string[]; rank: string } {
  const where: string[] = [];
  if (!query.includeDrafts) {
    where.push(`p.status = 'published'`);
    // Without a variant there is nothing a shopper could buy or a price to show.
    where.push('p.from_price_minor is not null');
  } else if (query.status) {
    where.push(`p.status = ${param(query.status)}`);
  }
  if (query.category !== undefined && without !== 'category') {
    where.push(`p.category_id in (
      select c.id from catalog.categories c, catalog.categories root
      where root.slug = ${param(query.category)} and (c.path = root.path or c.path like root.path || '/%'))`);
  }
  if (query.minPrice !== undefined) where.push(`p.from_price_minor >= ${param(query.minPrice)}`);
  if (query.maxPrice !== undefined) where.push(`p.from_price_minor <= ${param(query.maxPrice)}`);
  if (query.inStock !== undefined) where.push(query.inStock ? IN_STOCK : `not ${IN_STOCK}`);
  if (without !== 'options' && query.options && Object.keys(query.options).length) {
    // With inStock, the matching variant itself must be in stock: "M in stock", not "M, and something in stock".
    const stocked = query.inStock ? ['v.in_stock'] : [];
    where.push(`exists (select 1 from catalog.variants v where v.product_id = p.id and ${[...variantMatches(query.options, param), ...stocked].join(' and ')})`);
  }
  let rank = '0::real';
  if (query.q !== undefined) {
    const tsquery = `websearch_to_tsquery('english', ${param(query.q)})`;
    where.push(`p.search @@ ${tsquery}`);
    rank = `ts_rank(p.search, ${tsquery})`;
  }
  return { where, rank };
}

function parameters(): { params: unknown[]; param: Param } {
  const params: unknown[] = [];
  return {
    params,
    param: (value) => {
      params.push(value);
      return `$${params.length}`;
    },
  };
}

/** The filtered, sorted page after `cursor`, with one extra row to tell whether another page follows. */
export async function queryProducts(
  sql: Sql,
  query: ProductListQuery & { sort: ProductSort },
  cursor: ProductCursor | null,
): Promise<ListedProduct[]> {
  const { params, param } = parameters();
  const { where, rank } = productFilters(query, param);
  const sort = SORTS[query.sort];
  const outer: string[] = [];
  if (cursor) outer.push(sort.after(param(cursor.key), param(cursor.id)));

  // The inner select names `rank` so the relevance order and its keyset condition can use it.
  const { rows } = await sql.query<ListingRow>(
    `select p.*, coalesce(d.in_stock, false) as in_stock, d.id as default_variant_id from (
       select * from (
         select p.id, p.slug, p.name, p.status, p.category_id, p.from_price_minor, p.from_price_currency,
                p.images ->> 0 as image_url, p.created_at, lower(p.name) collate "C" as name_key, ${rank} as rank
         from catalog.products p
         ${where.length ? `where ${where.join(' and ')}` : ''}
       ) p
       ${outer.length ? `where ${outer.join(' and ')}` : ''}
       order by ${sort.orderBy}
       limit ${param(query.limit + 1)}
     ) p
     ${DEFAULT_VARIANT}
     order by ${sort.orderBy}`,
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

/** Facet values are capped: a listing offers a shopper choices, not an export of every option. */
const MAX_FACET_ROWS = 500;

/**
 * For each option value, how many of the listing's products have a variant with it, counted as
 * if the shopper had picked that value instead of the option's current selection (values of one
 * option are alternatives), while every other filter, other options included, still applies.
 */
export async function queryOptionFacets(sql: Sql, query: ProductListQuery): Promise<OptionFacet[]> {
  const { params, param } = parameters();
  const { where } = productFilters(query, param, 'options');
  const variantWhere = query.inStock ? ['v.in_stock'] : [];
  // A row (variant, option, value) counts if its variant matches the selection of every *other* option.
  for (const [name, values] of Object.entries(query.options ?? {})) {
    variantWhere.push(`(o.key = ${param(name)} or ${variantMatches({ [name]: values }, param).join('')})`);
  }
  const { rows } = await sql.query<{ name: string; value: string; count: number }>(
    `select o.key as name, o.value, count(distinct v.product_id)::int as count
       from catalog.products p
       join catalog.variants v on v.product_id = p.id
       cross join lateral jsonb_each_text(v.options) o
      ${[...where, ...variantWhere].length ? `where ${[...where, ...variantWhere].join(' and ')}` : ''}
      group by o.key, o.value
      order by o.key collate "C", o.value collate "C"
      limit ${MAX_FACET_ROWS}`,
    params,
  );
  const facets = new Map<string, OptionFacet>();
  for (const row of rows) {
    const facet = facets.get(row.name) ?? { name: row.name, values: [] };
    facet.values.push({ value: row.value, count: row.count });
    facets.set(row.name, facet);
  }
  return [...facets.values()];
}

/**
 * Each category with listed products in it or below it, and how many: the count is what
 * `category=<slug>` would list under the other filters, since that filter includes subcategories.
 */
export async function queryCategoryFacets(sql: Sql, query: ProductListQuery): Promise<CategoryFacet[]> {
  const { params, param } = parameters();
  const { where } = productFilters(query, param, 'category');
  const { rows } = await sql.query<CategoryFacet>(
    `select a.slug, a.name, a.path, count(*)::int as count
       from catalog.products p
       join catalog.categories c on c.id = p.category_id
       join catalog.categories a on c.path = a.path or c.path like a.path || '/%'
      ${where.length ? `where ${where.join(' and ')}` : ''}
      group by a.id, a.slug, a.name, a.path
      order by a.path collate "C"
      limit ${MAX_FACET_ROWS}`,
    params,
  );
  return rows;
}

/** The ProductListingQuery port over PostgreSQL/PGlite. */
export const productListingQuery: ProductListingQuery = { queryProducts, queryOptionFacets, queryCategoryFacets, suggestSpelling };
