import { fail, ok, type Result } from '@shop/platform/result';
import { normaliseCode, type Promotion } from '../domain/promotion.ts';
import type { NewPromotion } from './ports/promotion.repository.ts';
import type { PromotionsContext } from './promotions.context.ts';

export type CreatePromotionError = { code: 'PROMOTIONS.CODE_TAKEN'; message: string };

/** A new promotion; its code (when it has one) is stored upper case and must be unused. */
export async function createPromotion(ctx: PromotionsContext, input: NewPromotion): Promise<Result<Promotion, CreatePromotionError>> {
  const id = ctx.newId();
  const now = ctx.now();
  const p = { ...input, code: input.code === null ? null : normaliseCode(input.code) };
  if ((await ctx.promotions.insert(ctx.db, id, p, now)) === 'code_taken') {
    return fail({ code: 'PROMOTIONS.CODE_TAKEN', message: `body.code: ${p.code} is already used by another promotion` });
  }
  return ok({ ...p, id, usedCount: 0, disabledAt: null, createdAt: now });
}
