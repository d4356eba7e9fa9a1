import type { CatalogContext } from './catalog.context.ts';
import type { CategoryNode } from './catalog.dto.ts';

/** The whole category tree, roots first, siblings by position then name. */
export async function listCategoryTree(ctx: CatalogContext): Promise<CategoryNode[]> {
  const nodes = new Map<string, CategoryNode>();
  const categories = await ctx.categories.listCategories(ctx.db);
  for (const category of categories) nodes.set(category.id, { ...category, children: [] });
  const roots: CategoryNode[] = [];
  for (const category of categories) {
    const node = nodes.get(category.id)!;
    const parent = category.parentId ? nodes.get(category.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
