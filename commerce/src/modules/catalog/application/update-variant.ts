import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminVariantView, UpdateVariantInput } from './catalog.dto.ts';
import { skuTaken } from './create-variant.ts';

/** Changes a variant's description and price; stock moves only through stock adjustments. */
export async function updateVariant(
  ctx: CatalogContext,
  id: string,
  input: UpdateVariantInput,
  actor: AuditActor,
): Promise<Result<AdminVariantView, CatalogError>> {
  const notFound = fail(catalogError('CATALOG.VARIANT_NOT_FOUND', `Variant ${id} not found`));
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        const seen = await ctx.variants.findVariant(tx, id);
        if (!seen) return notFound;
        // Product first, then variant: the same lock order as every other variant write.
        await ctx.products.findProduct(tx, { id: seen.productId }, { forUpdate: true });
        const current = await ctx.variants.findVariant(tx, id, true);
        if (!current) return notFound;
        await ctx.variants.updateVariantRow(
          tx,
          {
            id,
            productId: current.productId,
            sku: input.sku ?? current.sku,
            options: input.options ?? current.options,
            priceMinor: input.priceMinor ?? current.priceMinor,
            currency: input.currency ?? current.currency,
            weightGrams: input.weightGrams ?? current.weightGrams,
            position: input.position ?? current.position,
          },
          ctx.now(),
        );
        await ctx.products.refreshFromPrice(tx, current.productId);
        const updated = await ctx.variants.findVariant(tx, id);
        if (!updated) throw new Error(`variant ${id} vanished inside its own transaction`);
        await ctx.audit.record(tx, { actor, action: 'variant.update', subject: { type: 'variant', id }, summary: updated.sku, before: current, after: updated });
        return ok(updated);
      }),
    { variants_sku_key: skuTaken(input.sku ?? '') },
  );
}
