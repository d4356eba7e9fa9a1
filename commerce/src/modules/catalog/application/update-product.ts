import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminProductDetail, UpdateProductInput } from './catalog.dto.ts';
import { PRODUCT_CONSTRAINTS } from './create-product.ts';

/** Changes only the fields given; `categoryId: null` removes the category. */
export async function updateProduct(
  ctx: CatalogContext,
  id: string,
  input: UpdateProductInput,
  actor: AuditActor,
): Promise<Result<AdminProductDetail, CatalogError>> {
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await ctx.products.findProduct(tx, { id }, { forUpdate: true });
        if (!current) return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${id} not found`));
        const before = await ctx.productDetails.loadProductDetail(tx, current);
        await ctx.products.updateProductRow(
          tx,
          {
            id,
            slug: input.slug ?? current.slug,
            name: input.name ?? current.name,
            description: input.description ?? current.description,
            status: input.status ?? current.status,
            categoryId: input.categoryId === undefined ? current.categoryId : input.categoryId,
            images: input.images ?? current.images,
          },
          ctx.now(),
        );
        const updated = await ctx.products.findProduct(tx, { id });
        if (!updated) throw new Error(`product ${id} vanished inside its own transaction`);
        const after = await ctx.productDetails.loadProductDetail(tx, updated);
        const action = before.status !== after.status ? (after.status === 'published' ? 'product.publish' : 'product.unpublish') : 'product.update';
        await ctx.audit.record(tx, { actor, action, subject: { type: 'product', id }, summary: after.name, before, after });
        return ok(after);
      }),
    PRODUCT_CONSTRAINTS(input.slug ?? '', input.categoryId),
  );
}
