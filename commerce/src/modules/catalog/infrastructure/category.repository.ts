import type { Sql } from '../../../shared/database/index.ts';
import type { Category, CategoryRef } from '../application/catalog.dto.ts';
import type { CategoryRepository } from '../application/ports/category.repository.ts';

interface CategoryRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  path: string;
  position: number;
}

const COLUMNS = 'id, parent_id, slug, name, path, position';

const toCategory = (row: CategoryRow): Category => ({
  id: row.id,
  parentId: row.parent_id,
  slug: row.slug,
  name: row.name,
  path: row.path,
  position: row.position,
});

export async function insertCategory(sql: Sql, category: Category, now: Date): Promise<void> {
  await sql.query(
    `insert into catalog.categories (id, parent_id, slug, name, path, position, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [category.id, category.parentId, category.slug, category.name, category.path, category.position, now],
  );
}

/** `forUpdate` holds the row until the transaction ends, so a concurrent move or delete waits. */
export async function findCategory(sql: Sql, id: string, forUpdate = false): Promise<Category | null> {
  const { rows } = await sql.query<CategoryRow>(
    `select ${COLUMNS} from catalog.categories where id = $1${forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ? toCategory(rows[0]) : null;
}

export async function listCategories(sql: Sql): Promise<Category[]> {
  const { rows } = await sql.query<CategoryRow>(`select ${COLUMNS} from catalog.categories order by position, name, id`);
  return rows.map(toCategory);
}

export async function updateCategoryRow(sql: Sql, category: Category, now: Date): Promise<void> {
  await sql.query(
    `update catalog.categories set parent_id = $2, slug = $3, name = $4, path = $5, position = $6, updated_at = $7 where id = $1`,
    [category.id, category.parentId, category.slug, category.name, category.path, category.position, now],
  );
}

/** Re-roots every descendant's path after a category was renamed or moved. */
export async function rewriteDescendantPaths(sql: Sql, oldPath: string, newPath: string, now: Date): Promise<void> {
  await sql.query(
    `update catalog.categories set path = $2 || substr(path, length($1) + 1), updated_at = $3
     where path like $1 || '/%'`,
    [oldPath, newPath, now],
  );
}

export async function categoryUsage(sql: Sql, id: string): Promise<{ children: boolean; products: boolean }> {
  const { rows } = await sql.query<{ children: boolean; products: boolean }>(
    `select exists (select 1 from catalog.categories where parent_id = $1) as children,
            exists (select 1 from catalog.products where category_id = $1) as products`,
    [id],
  );
  return rows[0] ?? { children: false, products: false };
}

export async function deleteCategoryRow(sql: Sql, id: string): Promise<void> {
  await sql.query(`delete from catalog.categories where id = $1`, [id]);
}

/** Breadcrumbs for a path: slugs are unique, so the path's segments name the ancestors. */
export async function categoryTrail(sql: Sql, path: string): Promise<CategoryRef[]> {
  const slugs = path.split('/');
  const { rows } = await sql.query<CategoryRef>(
    `select id, slug, name from catalog.categories where slug = any(string_to_array($1, '/'))`,
    [path],
  );
  return slugs.flatMap((slug) => rows.filter((r) => r.slug === slug));
}

/** The CategoryRepository port over PostgreSQL/PGlite. */
export const categoryRepository: CategoryRepository = { insertCategory, findCategory, listCategories, updateCategoryRow, rewriteDescendantPaths, categoryUsage, deleteCategoryRow, categoryTrail };
