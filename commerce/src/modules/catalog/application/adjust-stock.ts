import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { MAX_ON_HAND } from '../domain/stock.rules.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { StockAdjustment, StockAdjustmentInput } from './catalog.dto.ts';

/**
 * Moves a variant's on-hand stock and records who did it and why, in one transaction:
 * there is never stock movement without its audit row, nor an audit row without movement.
 * Refused when on_hand would fall below what is reserved for orders (or below 0).
 */
export async function adjustStock(
  ctx: CatalogContext,
  variantId: string,
  input: StockAdjustmentInput,
  actor: AuditActor,
): Promise<Result<StockAdjustment, CatalogError>> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const onHandAfter = await ctx.stockAdjustments.applyStockDelta(tx, variantId, input.delta, now);
    if (onHandAfter === null) {
      const variant = await ctx.variants.findVariant(tx, variantId);
      if (!variant) return fail(catalogError('CATALOG.VARIANT_NOT_FOUND', `Variant ${variantId} not found`));
      if (variant.onHand + input.delta > MAX_ON_HAND) {
        return fail(catalogError('CATALOG.STOCK_LIMIT', `delta: on hand may not exceed ${MAX_ON_HAND}`, 'delta'));
      }
      return fail(
        catalogError(
          'CATALOG.STOCK_BELOW_RESERVED',
          `delta: on hand ${variant.onHand} plus ${input.delta} would fall below 0 or the ${variant.reserved} reserved`,
          'delta',
        ),
      );
    }
    const adjustment: StockAdjustment = {
      id: ctx.newId(),
      variantId,
      delta: input.delta,
      reason: input.reason,
      actorId: actor.userId,
      onHandAfter,
      createdAt: now.toISOString(),
    };
    await ctx.stockAdjustments.insertAdjustment(tx, adjustment);
    await ctx.audit.record(tx, {
      actor,
      action: 'variant.stock_adjust',
      subject: { type: 'variant', id: variantId },
      summary: `${input.delta > 0 ? '+' : ''}${input.delta}: ${input.reason}`,
      before: { onHand: onHandAfter - input.delta },
      after: { onHand: onHandAfter, reason: input.reason },
    });
    return ok(adjustment);
  });
}
