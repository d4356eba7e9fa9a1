import { fail, ok, type Result } from '@shop/platform/result';
import { priceOrder, spreadDiscounts, type BareLine, type PricedOrder } from '../domain/price-order.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import type { OrdersContext } from './orders.context.ts';
import type { PromotionDecision } from './ports/orders.ports.ts';

export interface PriceCheckoutInput {
  currency: string;
  lines: BareLine[];
  /** The chosen shipping option's price; 0 when none is chosen yet (the cart page). */
  shippingMinor: number;
  /** Destination; null (the cart page before an address) prices without tax in a tax-exclusive region, with the region's first country otherwise. */
  country: string | null;
  subdivision: string | null;
  promotionCode: string | null;
  /** The order's email, lower case: the per-customer limit's key. null before it is known. */
  customerKey: string | null;
}

export interface PricedCheckout {
  priced: PricedOrder;
  codeRefused: PromotionDecision['codeRefused'];
}

const NO_PROMOTIONS: PromotionDecision = { applied: [], codeRefused: null };

/**
 * Prices a cart the way checkout stores it: promotions (the stacking rule is promotions'), the
 * discount spread over lines, then taxes per line on what is left, in the region of the cart's
 * currency. The cart page's quote and the checkout call this same function, so what the shopper
 * is shown is what the order records.
 */
export async function priceCheckout(ctx: OrdersContext, input: PriceCheckoutInput): Promise<Result<PricedCheckout, OrdersError>> {
  const subtotalMinor = input.lines.reduce((a, l) => a + l.unitPriceMinor * l.quantity, 0);
  const decision = ctx.promotions
    ? await ctx.promotions.decide({
        code: input.promotionCode,
        customerKey: input.customerKey,
        basket: { currency: input.currency, subtotalMinor, shippingMinor: input.shippingMinor, now: ctx.now() },
      })
    : input.promotionCode === null
      ? NO_PROMOTIONS
      : { applied: [], codeRefused: { code: input.promotionCode, reason: 'NOT_FOUND' as const, message: `${input.promotionCode} is not a valid code` } };
  const { lineDiscounts, shippingDiscountMinor } = spreadDiscounts(input.lines, input.shippingMinor, decision.applied);

  let taxes: Parameters<typeof priceOrder>[0]['taxes'] = { regionId: null, taxInclusive: false, lines: [], shippingTaxLines: [] };
  if (ctx.taxes && input.country !== null) {
    const quoted = await ctx.taxes.quoteTaxes({
      currency: input.currency,
      country: input.country,
      subdivision: input.subdivision,
      lines: input.lines.map((l, i) => ({ productId: l.productId, netMinor: l.unitPriceMinor * l.quantity - lineDiscounts[i]! })),
      shippingNetMinor: input.shippingMinor - shippingDiscountMinor,
    });
    if (!quoted.ok) return fail({ code: 'ORDERS.REGION_MISMATCH', message: quoted.error.message });
    taxes = quoted.value;
  }
  const priced = priceOrder({ lines: input.lines, shippingMinor: input.shippingMinor, promotions: decision.applied, lineDiscounts, shippingDiscountMinor, taxes });
  return ok({ priced, codeRefused: decision.codeRefused });
}
