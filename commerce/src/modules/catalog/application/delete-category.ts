import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';

/** Only an empty leaf may go: products and subcategories are never orphaned silently. */
export async function deleteCategory(ctx: CatalogContext, id: string, actor: AuditActor): Promise<Result<void, CatalogError>> {
  const hasChildren = catalogError('CATALOG.CATEGORY_HAS_CHILDREN', `Category ${id} still has subcategories`);
  const hasProducts = catalogError('CATALOG.CATEGORY_HAS_PRODUCTS', `Category ${id} still has products`);
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await ctx.categories.findCategory(tx, id, true);
        if (!current) return fail(catalogError('CATALOG.CATEGORY_NOT_FOUND', `Category ${id} not found`));
        const usage = await ctx.categories.categoryUsage(tx, id);
        if (usage.children) return fail(hasChildren);
        if (usage.products) return fail(hasProducts);
        await ctx.categories.deleteCategoryRow(tx, id);
        await ctx.audit.record(tx, { actor, action: 'category.delete', subject: { type: 'category', id }, summary: current.name, before: current, after: null });
        return ok(undefined);
      }),
    // A product or child added concurrently is caught by the foreign keys instead.
    { categories_parent_id_fkey: hasChildren, products_category_id_fkey: hasProducts },
  );
}
