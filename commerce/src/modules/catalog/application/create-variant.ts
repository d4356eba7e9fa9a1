import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminVariantView, CreateVariantInput } from './catalog.dto.ts';

export const skuTaken = (sku: string) => catalogError('CATALOG.SKU_TAKEN', `sku: ${sku} is already used by another variant`, 'sku');

/**
 * Adds a variant to a product. Opening stock is written to the audit trail like any other
 * adjustment, so the trail always sums to on_hand.
 */
export async function createVariant(
  ctx: CatalogContext,
  productId: string,
  input: CreateVariantInput,
  actor: AuditActor,
): Promise<Result<AdminVariantView, CatalogError>> {
  const id = ctx.newId();
  const onHand = input.onHand ?? 0;
  return ctx.constraints.mapConstraintViolations(
    () =>
      ctx.db.transaction(async (tx) => {
        // The product lock serialises variant writes per product, keeping its "from" price exact.
        if (!(await ctx.products.findProduct(tx, { id: productId }, { forUpdate: true }))) {
          return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${productId} not found`));
        }
        const now = ctx.now();
        await ctx.variants.insertVariant(
          tx,
          {
            id,
            productId,
            sku: input.sku,
            options: input.options ?? {},
            priceMinor: input.priceMinor,
            currency: input.currency,
            weightGrams: input.weightGrams,
            position: input.position ?? 0,
          },
          onHand,
          now,
        );
        if (onHand > 0) {
          await ctx.stockAdjustments.insertAdjustment(tx, {
            id: ctx.newId(),
            variantId: id,
            delta: onHand,
            reason: 'opening stock',
            actorId: actor.userId,
            onHandAfter: onHand,
            createdAt: now.toISOString(),
          });
        }
        await ctx.products.refreshFromPrice(tx, productId);
        const variant = await ctx.variants.findVariant(tx, id);
        if (!variant) throw new Error(`variant ${id} vanished inside its own transaction`);
        await ctx.audit.record(tx, { actor, action: 'variant.create', subject: { type: 'variant', id }, summary: variant.sku, before: null, after: variant });
        return ok(variant);
      }),
    { variants_sku_key: skuTaken(input.sku) },
  );
}
