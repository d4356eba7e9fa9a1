import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';

/** Removes a variant unless stock of it is reserved for an order. Its audit trail stays. */
export async function deleteVariant(ctx: CatalogContext, id: string, actor: AuditActor): Promise<Result<void, CatalogError>> {
  const notFound = fail(catalogError('CATALOG.VARIANT_NOT_FOUND', `Variant ${id} not found`));
  return ctx.db.transaction(async (tx) => {
    const seen = await ctx.variants.findVariant(tx, id);
    if (!seen) return notFound;
    await ctx.products.findProduct(tx, { id: seen.productId }, { forUpdate: true });
    const current = await ctx.variants.findVariant(tx, id, true);
    if (!current) return notFound;
    if (current.reserved > 0) {
      return fail(catalogError('CATALOG.VARIANT_RESERVED', `Variant ${id} has ${current.reserved} reserved`));
    }
    await ctx.variants.deleteVariantRow(tx, id);
    await ctx.products.refreshFromPrice(tx, current.productId);
    await ctx.audit.record(tx, { actor, action: 'variant.delete', subject: { type: 'variant', id }, summary: current.sku, before: current, after: null });
    return ok(undefined);
  });
}
