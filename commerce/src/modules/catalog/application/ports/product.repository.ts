import type { Sql } from '../../../../shared/database/database.ts';
import type { ProductStatus } from '../catalog.dto.ts';

export interface ProductRecord {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  categoryId: string | null;
  images: string[];
}

export interface StoredProduct extends ProductRecord {
  categoryPath: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface ProductRepository {
  insertProduct(sql: Sql, product: ProductRecord, now: Date): Promise<void>;
  updateProductRow(sql: Sql, product: ProductRecord, now: Date): Promise<void>;
  deleteProductRow(sql: Sql, id: string): Promise<void>;
  /**
   * One product by id, or by slug when `key` is not an id. `publishedOnly` hides drafts, as
   * shoppers must never learn that a draft exists.
   */
  findProduct(sql: Sql, key: { id: string } | { slug: string }, options?: { publishedOnly?: boolean; forUpdate?: boolean }): Promise<StoredProduct | null>;
  /**
   * Keeps the product's "from" price (its cheapest variant) in step; call in the same
   * transaction as every variant write.
   */
  refreshFromPrice(sql: Sql, productId: string): Promise<void>;
}
