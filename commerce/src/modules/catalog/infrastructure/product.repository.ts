import type { Sql } from '../../../shared/database/index.ts';
import type { ProductStatus } from '../application/catalog.dto.ts';
import type { ProductRecord, ProductRepository, StoredProduct } from '../application/ports/product.repository.ts';



interface ProductRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  category_id: string | null;
  category_path: string | null;
  images: string[];
  created_at: Date;
  updated_at: Date;
}

const toProduct = (row: ProductRow): StoredProduct => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  status: row.status,
  categoryId: row.category_id,
  categoryPath: row.category_path,
  images: row.images,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertProduct(sql: Sql, product: ProductRecord, now: Date): Promise<void> {
  await sql.query(
    `insert into catalog.products (id, slug, name, description, status, category_id, images, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8)`,
    [product.id, product.slug, product.name, product.description, product.status, product.categoryId, JSON.stringify(product.images), now],
  );
}

export async function updateProductRow(sql: Sql, product: ProductRecord, now: Date): Promise<void> {
  await sql.query(
    `update catalog.products set slug = $2, name = $3, description = $4, status = $5, category_id = $6, images = $7::jsonb, updated_at = $8
     where id = $1`,
    [product.id, product.slug, product.name, product.description, product.status, product.categoryId, JSON.stringify(product.images), now],
  );
}

export async function deleteProductRow(sql: Sql, id: string): Promise<void> {
  await sql.query(`delete from catalog.products where id = $1`, [id]);
}

/**
 * One product by id, or by slug when `key` is not an id. `publishedOnly` hides drafts, as
 * shoppers must never learn that a draft exists.
 */
export async function findProduct(
  sql: Sql,
  key: { id: string } | { slug: string },
  options: { publishedOnly?: boolean; forUpdate?: boolean } = {},
): Promise<StoredProduct | null> {
  const where = 'id' in key ? 'p.id = $1' : 'p.slug = $1';
  const { rows } = await sql.query<ProductRow>(
    `select p.id, p.slug, p.name, p.description, p.status, p.category_id, p.images, p.created_at, p.updated_at,
            (select c.path from catalog.categories c where c.id = p.category_id) as category_path
     from catalog.products p
     where ${where}${options.publishedOnly ? ` and p.status = 'published'` : ''}${options.forUpdate ? ' for update of p' : ''}`,
    ['id' in key ? key.id : key.slug],
  );
  return rows[0] ? toProduct(rows[0]) : null;
}

/**
 * Keeps the product's "from" price (its cheapest variant) in step; call in the same
 * transaction as every variant write.
 */
export async function refreshFromPrice(sql: Sql, productId: string): Promise<void> {
  await sql.query(
    `update catalog.products p set (from_price_minor, from_price_currency) = (
       select v.price_minor, v.currency from catalog.variants v where v.product_id = p.id order by v.price_minor, v.id limit 1
     ) where p.id = $1`,
    [productId],
  );
}

/** The ProductRepository port over PostgreSQL/PGlite. */
export const productRepository: ProductRepository = { insertProduct, updateProductRow, deleteProductRow, findProduct, refreshFromPrice };
