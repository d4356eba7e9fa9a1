import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { childPath } from '../domain/category-path.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { Category, CreateCategoryInput } from './catalog.dto.ts';

export const categorySlugTaken = (slug: string) =>
  catalogError('CATALOG.CATEGORY_SLUG_TAKEN', `slug: a category with slug ${slug} already exists`, 'slug');
export const unknownParent = (parentId: string) =>
  catalogError('CATALOG.UNKNOWN_PARENT', `parentId: no category ${parentId}`, 'parentId');

export async function createCategory(ctx: CatalogContext, input: CreateCategoryInput, actor: AuditActor): Promise<Result<Category, CatalogError>> {
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        // Locking the parent keeps it from being moved or deleted while its child is added.
        const parent = input.parentId ? await ctx.categories.findCategory(tx, input.parentId, true) : null;
        if (input.parentId && !parent) return fail(unknownParent(input.parentId));
        const category: Category = {
          id: ctx.newId(),
          parentId: parent?.id ?? null,
          slug: input.slug,
          name: input.name,
          path: childPath(parent?.path ?? null, input.slug),
          position: input.position ?? 0,
        };
        await ctx.categories.insertCategory(tx, category, ctx.now());
        await ctx.audit.record(tx, { actor, action: 'category.create', subject: { type: 'category', id: category.id }, summary: category.name, before: null, after: category });
        return ok(category);
      }),
    { categories_slug_key: categorySlugTaken(input.slug), categories_path_key: categorySlugTaken(input.slug) },
  );
}
