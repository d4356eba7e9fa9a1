import type { Sql } from '../../../shared/database/index.ts';
import type { AdminProductDetail } from '../application/catalog.dto.ts';
import { categoryTrail } from './category.repository.ts';
import type { StoredProduct } from '../application/ports/product.repository.ts';
import { variantsOfProduct } from './variant.repository.ts';
import type { ProductDetailQuery } from '../application/ports/product-detail.query.ts';

/** A product with its variants (stock included) and category breadcrumbs. */
export async function loadProductDetail(sql: Sql, product: StoredProduct): Promise<AdminProductDetail> {
  const [variants, categoryPath] = await Promise.all([
    variantsOfProduct(sql, product.id),
    product.categoryPath ? categoryTrail(sql, product.categoryPath) : Promise.resolve([]),
  ]);
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    status: product.status,
    categoryId: product.categoryId,
    images: product.images,
    categoryPath,
    inStock: variants.some((v) => v.available > 0),
    variants,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/** The ProductDetailQuery port over PostgreSQL/PGlite. */
export const productDetailQuery: ProductDetailQuery = { loadProductDetail };
