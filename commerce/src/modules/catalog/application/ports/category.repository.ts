import type { Sql } from '../../../../shared/database/database.ts';
import type { Category, CategoryRef } from '../catalog.dto.ts';


/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface CategoryRepository {
  insertCategory(sql: Sql, category: Category, now: Date): Promise<void>;
  /** `forUpdate` holds the row until the transaction ends, so a concurrent move or delete waits. */
  findCategory(sql: Sql, id: string, forUpdate?: boolean): Promise<Category | null>;
  listCategories(sql: Sql): Promise<Category[]>;
  updateCategoryRow(sql: Sql, category: Category, now: Date): Promise<void>;
  /** Re-roots every descendant's path after a category was renamed or moved. */
  rewriteDescendantPaths(sql: Sql, oldPath: string, newPath: string, now: Date): Promise<void>;
  categoryUsage(sql: Sql, id: string): Promise<{ children: boolean; products: boolean }>;
  deleteCategoryRow(sql: Sql, id: string): Promise<void>;
  /** Breadcrumbs for a path: slugs are unique, so the path's segments name the ancestors. */
  categoryTrail(sql: Sql, path: string): Promise<CategoryRef[]>;
}
