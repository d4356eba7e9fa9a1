import type { Sql } from '../../../shared/database/database.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { CategoryNode } from './catalog.dto.ts';

/** The whole category tree, roots first, siblings by position then name; read from `from` (shopper reads unless the primary is wanted). */
export async function listCategoryTree(ctx: CatalogContext, from: Sql = ctx.shopperReads): Promise<CategoryNode[]> {
  const nodes = new Map<string, CategoryNode>();
  const categories = await ctx.categories.listCategories(from);
  for (const category of categories) nodes.set(category.id, { ...category, children: [] });
  const roots: CategoryNode[] = [];
  for (const category of categories) {
    const node = nodes.get(category.id)!;
    const parent = category.parentId ? nodes.get(category.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
