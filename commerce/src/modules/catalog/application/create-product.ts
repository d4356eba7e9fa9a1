import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminProductDetail, CreateProductInput } from './catalog.dto.ts';

export const PRODUCT_CONSTRAINTS = (slug: string, categoryId: string | null | undefined) => ({
  products_slug_key: catalogError('CATALOG.PRODUCT_SLUG_TAKEN', `slug: a product with slug ${slug} already exists`, 'slug'),
  products_category_id_fkey: catalogError('CATALOG.UNKNOWN_CATEGORY', `categoryId: no category ${categoryId}`, 'categoryId'),
});

/** New products start as drafts unless told otherwise, so half-entered ones stay hidden. */
export async function createProduct(ctx: CatalogContext, input: CreateProductInput, actor: AuditActor): Promise<Result<AdminProductDetail, CatalogError>> {
  const id = ctx.newId();
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        await ctx.products.insertProduct(
          tx,
          {
            id,
            slug: input.slug,
            name: input.name,
            description: input.description ?? '',
            status: input.status ?? 'draft',
            categoryId: input.categoryId ?? null,
            images: input.images ?? [],
          },
          ctx.now(),
        );
        const product = await ctx.products.findProduct(tx, { id });
        if (!product) throw new Error(`product ${id} vanished inside its own transaction`);
        const detail = await ctx.productDetails.loadProductDetail(tx, product);
        await ctx.audit.record(tx, { actor, action: 'product.create', subject: { type: 'product', id }, summary: detail.name, before: null, after: detail });
        return ok(detail);
      }),
    PRODUCT_CONSTRAINTS(input.slug, input.categoryId),
  );
}
