import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { childPath, isSelfOrDescendant } from '../domain/category-path.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { Category, UpdateCategoryInput } from './catalog.dto.ts';
import { categorySlugTaken, unknownParent } from './create-category.ts';

/** Renames or moves a category; the paths of everything below it follow in the same transaction. */
export async function updateCategory(
  ctx: CatalogContext,
  id: string,
  input: UpdateCategoryInput,
  actor: AuditActor,
): Promise<Result<Category, CatalogError>> {
  const slug = input.slug ?? '';
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await ctx.categories.findCategory(tx, id, true);
        if (!current) return fail(catalogError('CATALOG.CATEGORY_NOT_FOUND', `Category ${id} not found`));
        const parentId = input.parentId === undefined ? current.parentId : input.parentId;
        const parent = parentId ? await ctx.categories.findCategory(tx, parentId, true) : null;
        if (parentId && !parent) return fail(unknownParent(parentId));
        if (parent && isSelfOrDescendant(current.path, parent.path)) {
          return fail(catalogError('CATALOG.CATEGORY_CYCLE', `parentId: ${parentId} is this category or below it`, 'parentId'));
        }
        const next: Category = {
          ...current,
          parentId,
          slug: input.slug ?? current.slug,
          name: input.name ?? current.name,
          position: input.position ?? current.position,
          path: childPath(parent?.path ?? null, input.slug ?? current.slug),
        };
        const now = ctx.now();
        await ctx.categories.updateCategoryRow(tx, next, now);
        if (next.path !== current.path) await ctx.categories.rewriteDescendantPaths(tx, current.path, next.path, now);
        await ctx.audit.record(tx, { actor, action: 'category.update', subject: { type: 'category', id }, summary: next.name, before: current, after: next });
        return ok(next);
      }),
    { categories_slug_key: categorySlugTaken(slug), categories_path_key: categorySlugTaken(slug) },
  );
}
