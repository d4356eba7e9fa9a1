import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';

/**
 * Deletes a product and its variants. Refused while any variant holds reserved stock:
 * an order in flight still counts on it.
 */
export async function deleteProduct(ctx: CatalogContext, id: string, actor: AuditActor): Promise<Result<void, CatalogError>> {
  return ctx.db.transaction(async (tx) => {
    const product = await ctx.products.findProduct(tx, { id }, { forUpdate: true });
    if (!product) return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${id} not found`));
    if (await ctx.variants.productHasReservations(tx, id)) {
      return fail(catalogError('CATALOG.VARIANT_RESERVED', `Product ${id} has variants with reserved stock`));
    }
    const before = await ctx.productDetails.loadProductDetail(tx, product);
    await ctx.products.deleteProductRow(tx, id);
    await ctx.audit.record(tx, { actor, action: 'product.delete', subject: { type: 'product', id }, summary: product.name, before, after: null });
    return ok(undefined);
  });
}
