import { divideRoundHalfUp } from '../../../shared/money/index.ts';
import type { Promotion, PromotionKind, PromotionRefusal } from './promotion.ts';

export interface Basket {
  currency: string;
  /** Merchandise before any discount, minor units. */
  subtotalMinor: number;
  /** The chosen shipping option's price; 0 when none is chosen yet. */
  shippingMinor: number;
  now: Date;
}

export interface PromotionUse {
  promotionId: string;
  code: string | null;
  kind: PromotionKind;
  name: string;
  /** Taken off the merchandise subtotal. */
  linesDiscountMinor: number;
  /** Taken off shipping. */
  shippingDiscountMinor: number;
}

export interface PromotionDecision {
  applied: PromotionUse[];
  /** Set when a code was given and does not apply, with the reason. */
  codeRefused: { code: string; reason: PromotionRefusal; message: string } | null;
}

/** Why `p` cannot apply to this basket for a customer who used it `customerUses` times; null when it can. */
export function refusalOf(p: Promotion, basket: Basket, customerUses: number): PromotionRefusal | null {
  if (p.disabledAt) return 'DISABLED';
  if (p.startsAt && basket.now < p.startsAt) return 'NOT_STARTED';
  if (p.endsAt && basket.now >= p.endsAt) return 'EXPIRED';
  if (p.currency !== null && p.currency !== basket.currency) return 'CURRENCY';
  if (basket.subtotalMinor < p.minSubtotalMinor) return 'MIN_SUBTOTAL';
  if (p.usageLimit !== null && p.usedCount >= p.usageLimit) return 'USED_UP';
  if (p.perCustomerLimit !== null && customerUses >= p.perCustomerLimit) return 'CUSTOMER_LIMIT';
  return null;
}

const useOf = (p: Promotion, basket: Basket): PromotionUse => ({
  promotionId: p.id,
  code: p.code,
  kind: p.kind,
  name: p.name,
  linesDiscountMinor:
    p.kind === 'percentage'
      ? Math.min(basket.subtotalMinor, divideRoundHalfUp(basket.subtotalMinor * p.value, 10_000))
      : p.kind === 'fixed_amount'
        ? Math.min(basket.subtotalMinor, p.value)
        : 0,
  shippingDiscountMinor: p.kind === 'free_shipping' ? basket.shippingMinor : 0,
});

const MESSAGES: Record<PromotionRefusal, string> = {
  NOT_FOUND: 'is not a valid code',
  DISABLED: 'is no longer valid',
  NOT_STARTED: 'is not valid yet',
  EXPIRED: 'has expired',
  CURRENCY: 'does not apply in this currency',
  MIN_SUBTOTAL: 'needs a larger order',
  USED_UP: 'has no uses left',
  CUSTOMER_LIMIT: 'was already used by this customer as often as allowed',
  BETTER_PROMOTION_APPLIED: 'is not combined: a larger discount already applies',
};

export const refusalMessage = (code: string, reason: PromotionRefusal): string => `${code} ${MESSAGES[reason]}`;

/**
 * The stacking rule (docs/adr/0066): of all promotions that apply (the shopper's code and every
 * live automatic promotion), at most ONE discount on merchandise (percentage or fixed amount, the
 * largest; a tie goes to the code, then to the oldest) and at most ONE free shipping (the code's
 * if it grants it, else the oldest automatic one) are applied. Nothing else stacks.
 *
 * @example decidePromotions({ currency: 'EUR', subtotalMinor: 5000, shippingMinor: 500, now }, 'WELCOME10', [welcome10], new Map())
 */
export function decidePromotions(
  basket: Basket,
  code: string | null,
  candidates: readonly Promotion[],
  customerUses: ReadonlyMap<string, number>,
): PromotionDecision {
  const codePromotion = code === null ? undefined : candidates.find((p) => p.code === code);
  let codeRefused: PromotionDecision['codeRefused'] = null;
  const live: Promotion[] = [];
  if (code !== null) {
    const reason = codePromotion ? refusalOf(codePromotion, basket, customerUses.get(codePromotion.id) ?? 0) : 'NOT_FOUND';
    if (reason) codeRefused = { code, reason, message: refusalMessage(code, reason) };
    else live.push(codePromotion!);
  }
  const automatic = candidates
    .filter((p) => p.code === null && refusalOf(p, basket, customerUses.get(p.id) ?? 0) === null)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  live.push(...automatic);

  const uses = live.map((p) => useOf(p, basket));
  const discounts = uses.filter((u) => u.kind !== 'free_shipping');
  // Stable sort: the code comes first among equals, then the oldest automatic promotion.
  const best = [...discounts].sort((a, b) => b.linesDiscountMinor - a.linesDiscountMinor)[0];
  const freeShipping = uses.find((u) => u.kind === 'free_shipping');
  const applied = [best, freeShipping].filter((u): u is PromotionUse => u !== undefined);
  if (code !== null && !codeRefused && !applied.some((u) => u.code === code)) {
    codeRefused = { code, reason: 'BETTER_PROMOTION_APPLIED', message: refusalMessage(code, 'BETTER_PROMOTION_APPLIED') };
  }
  return { applied, codeRefused };
}
