import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { mapConstraintViolations } from '../infrastructure/database-errors.ts';
import { loadProductDetail } from '../infrastructure/product-detail.query.ts';
import { findProduct, updateProductRow } from '../infrastructure/product.repository.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminProductDetail, UpdateProductInput } from './catalog.dto.ts';
import { PRODUCT_CONSTRAINTS } from './create-product.ts';

/** Changes only the fields given; `categoryId: null` removes the category. */
export async function updateProduct(
  ctx: CatalogContext,
  id: string,
  input: UpdateProductInput,
): Promise<Result<AdminProductDetail, CatalogError>> {
  return mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        const current = await findProduct(tx, { id }, { forUpdate: true });
        if (!current) return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${id} not found`));
        await updateProductRow(
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
        const updated = await findProduct(tx, { id });
        if (!updated) throw new Error(`product ${id} vanished inside its own transaction`);
        return ok(await loadProductDetail(tx, updated));
      }),
    PRODUCT_CONSTRAINTS(input.slug ?? '', input.categoryId),
  );
}
