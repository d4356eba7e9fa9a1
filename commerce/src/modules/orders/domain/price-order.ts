import { allocate } from '../../../shared/money/index.ts';
import type { AppliedPromotion, OrderLine, OrderPricing, TaxLine } from './order.ts';

/** A line before discounts and taxes. */
export type BareLine = Omit<OrderLine, 'taxClass' | 'discountMinor' | 'taxMinor' | 'taxLines'>;

export interface PromotionShare {
  promotionId: string;
  code: string | null;
  kind: AppliedPromotion['kind'];
  name: string;
  linesDiscountMinor: number;
  shippingDiscountMinor: number;
}

export interface LineTaxes {
  taxClass: string;
  taxLines: TaxLine[];
}

export interface PricedOrder extends OrderPricing {
  lines: OrderLine[];
  subtotalMinor: number;
  shippingMinor: number;
  totalMinor: number;
}

/**
 * Each line's share of the merchandise discounts, in proportion to its amount (allocate: exact to
 * the cent), and shipping's. What taxes are computed on.
 */
export function spreadDiscounts(lines: readonly BareLine[], shippingMinor: number, promotions: readonly PromotionShare[]): { lineDiscounts: number[]; shippingDiscountMinor: number } {
  const amounts = lines.map((l) => l.unitPriceMinor * l.quantity);
  const subtotal = amounts.reduce((a, b) => a + b, 0);
  const linesDiscount = Math.min(subtotal, promotions.reduce((a, p) => a + p.linesDiscountMinor, 0));
  const shippingDiscountMinor = Math.min(shippingMinor, promotions.reduce((a, p) => a + p.shippingDiscountMinor, 0));
  return { lineDiscounts: allocate(linesDiscount, amounts), shippingDiscountMinor };
}

const sum = (taxLines: readonly TaxLine[]) => taxLines.reduce((a, t) => a + t.amountMinor, 0);

/**
 * The order's amounts from its lines, the promotions' shares and the tax quote. They add up by
 * construction, and `assertAddsUp` checks it again before anything is stored:
 * total = subtotal − discount + shipping + (taxInclusive ? 0 : tax).
 */
export function priceOrder(input: {
  lines: readonly BareLine[];
  shippingMinor: number;
  promotions: readonly PromotionShare[];
  lineDiscounts: readonly number[];
  shippingDiscountMinor: number;
  taxes: { regionId: string | null; taxInclusive: boolean; lines: readonly LineTaxes[]; shippingTaxLines: TaxLine[] };
}): PricedOrder {
  const { taxes } = input;
  const lines: OrderLine[] = input.lines.map((l, i) => {
    const t = taxes.lines[i] ?? { taxClass: 'standard', taxLines: [] };
    return { ...l, taxClass: t.taxClass, discountMinor: input.lineDiscounts[i] ?? 0, taxMinor: sum(t.taxLines), taxLines: t.taxLines };
  });
  const subtotalMinor = lines.reduce((a, l) => a + l.unitPriceMinor * l.quantity, 0);
  const shippingTaxMinor = sum(taxes.shippingTaxLines);
  const discountMinor = lines.reduce((a, l) => a + l.discountMinor, 0) + input.shippingDiscountMinor;
  const taxMinor = lines.reduce((a, l) => a + l.taxMinor, 0) + shippingTaxMinor;
  // Each promotion is credited with what it actually took, so their sum is the order's discount.
  const linesTaken = discountMinor - input.shippingDiscountMinor;
  const linesShares = allocate(linesTaken, input.promotions.map((p) => p.linesDiscountMinor));
  const shipShares = allocate(input.shippingDiscountMinor, input.promotions.map((p) => p.shippingDiscountMinor));
  const promotions: AppliedPromotion[] = input.promotions.map((p, i) => ({
    promotionId: p.promotionId,
    code: p.code,
    kind: p.kind,
    name: p.name,
    amountMinor: (linesShares[i] ?? 0) + (shipShares[i] ?? 0),
  }));
  const priced: PricedOrder = {
    lines,
    subtotalMinor,
    shippingMinor: input.shippingMinor,
    regionId: taxes.regionId,
    taxInclusive: taxes.taxInclusive,
    discountMinor,
    shippingDiscountMinor: input.shippingDiscountMinor,
    shippingTaxMinor,
    shippingTaxLines: taxes.shippingTaxLines,
    taxMinor,
    promotions,
    totalMinor: subtotalMinor - discountMinor + input.shippingMinor + (taxes.taxInclusive ? 0 : taxMinor),
  };
  assertAddsUp(priced);
  return priced;
}

/** Throws when any amount of the order does not add up: a bug, never a shopper's mistake. */
export function assertAddsUp(o: PricedOrder): void {
  const problems: string[] = [];
  const amounts = [o.subtotalMinor, o.shippingMinor, o.discountMinor, o.taxMinor, o.totalMinor, o.shippingDiscountMinor, o.shippingTaxMinor];
  if (!amounts.every((a) => Number.isSafeInteger(a) && a >= 0)) problems.push('an amount is not a non-negative integer');
  for (const l of o.lines) {
    if (l.taxMinor !== sum(l.taxLines)) problems.push(`${l.sku}: tax lines do not add up`);
    if (l.discountMinor > l.unitPriceMinor * l.quantity) problems.push(`${l.sku}: discount above the line's amount`);
    if (o.taxInclusive && l.taxMinor > l.unitPriceMinor * l.quantity - l.discountMinor) problems.push(`${l.sku}: included tax above the line's net`);
  }
  if (o.subtotalMinor !== o.lines.reduce((a, l) => a + l.unitPriceMinor * l.quantity, 0)) problems.push('subtotal ≠ Σ lines');
  if (o.discountMinor !== o.lines.reduce((a, l) => a + l.discountMinor, 0) + o.shippingDiscountMinor) problems.push('discount ≠ Σ line discounts + shipping discount');
  if (o.discountMinor !== o.promotions.reduce((a, p) => a + p.amountMinor, 0)) problems.push('discount ≠ Σ promotions');
  if (o.taxMinor !== o.lines.reduce((a, l) => a + l.taxMinor, 0) + o.shippingTaxMinor) problems.push('tax ≠ Σ line taxes + shipping tax');
  if (o.shippingTaxMinor !== sum(o.shippingTaxLines)) problems.push('shipping tax lines do not add up');
  if (o.shippingDiscountMinor > o.shippingMinor) problems.push('shipping discount above shipping');
  if (o.totalMinor !== o.subtotalMinor - o.discountMinor + o.shippingMinor + (o.taxInclusive ? 0 : o.taxMinor)) problems.push('total does not add up');
  if (problems.length > 0) throw new Error(`order amounts do not add up: ${problems.join('; ')}`);
}

/** The order-level pricing columns of a priced order (or of an order, which carries them). */
export const pricingOf = (o: OrderPricing): OrderPricing => ({
  regionId: o.regionId,
  taxInclusive: o.taxInclusive,
  discountMinor: o.discountMinor,
  shippingDiscountMinor: o.shippingDiscountMinor,
  shippingTaxMinor: o.shippingTaxMinor,
  shippingTaxLines: o.shippingTaxLines,
  taxMinor: o.taxMinor,
  promotions: o.promotions,
});
