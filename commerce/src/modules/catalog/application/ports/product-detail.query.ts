import type { Sql } from '../../../../shared/database/database.ts';
import type { AdminProductDetail } from '../catalog.dto.ts';
import type { StoredProduct } from './product.repository.ts';


/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface ProductDetailQuery {
  /** A product with its variants (stock included) and category breadcrumbs. */
  loadProductDetail(sql: Sql, product: StoredProduct): Promise<AdminProductDetail>;
}
