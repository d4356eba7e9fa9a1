import { fail, ok, type Result } from '@shop/platform/result';
import type { PricedOrder } from '../domain/price-order.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import type { OrdersContext } from './orders.context.ts';
import type { CartOwner, PromotionDecision } from './ports/orders.ports.ts';
import { priceCheckout } from './price-checkout.ts';

export interface QuoteRequest {
  promotionCode?: string;
  country?: string;
  subdivision?: string;
  shippingOptionId?: string;
  postalCode?: string;
}

export interface CheckoutQuote extends PricedOrder {
  currency: string;
  promotionCode: (NonNullable<PromotionDecision['codeRefused']> & { applied: false }) | { code: string; applied: true } | null;
}

/**
 * What checking out the cart now would cost, priced by the same code as the checkout: the cart
 * page and the checkout page show it; nothing is written or reserved. Without a shipping option
 * shipping is 0; without a country no tax is computed.
 */
export async function quoteCheckout(ctx: OrdersContext, owner: CartOwner, q: QuoteRequest): Promise<Result<CheckoutQuote, OrdersError>> {
  const cart = await ctx.cart.getCartForCheckout(owner);
  if (!cart.ok) return fail(cart.error);
  const { currency, lines, subtotalMinor } = cart.value;
  const country = q.country?.toUpperCase() ?? null;
  let shippingMinor = 0;
  if (q.shippingOptionId !== undefined) {
    if (country === null) return fail({ code: 'ORDERS.SHIPPING_OPTION_UNKNOWN', offered: [], message: 'body.country: required with shippingOptionId' });
    const weightGrams = lines.reduce((a, l) => a + l.weightGrams * l.quantity, 0);
    const quote = await ctx.shipping.quote({ weightGrams, subtotalMinor, currency, country, postalCode: q.postalCode ?? '' });
    if (!quote.ok) return fail({ code: 'ORDERS.SHIPPING_UNAVAILABLE', reason: quote.code, message: quote.message });
    const option = quote.options.find((o) => o.id === q.shippingOptionId && o.currency === currency);
    if (!option) {
      return fail({
        code: 'ORDERS.SHIPPING_OPTION_UNKNOWN',
        offered: quote.options.filter((o) => o.currency === currency).map((o) => o.id),
        message: `body.shippingOptionId: ${q.shippingOptionId} is not offered for this cart`,
      });
    }
    shippingMinor = option.priceMinor;
  }
  const email = owner.kind === 'user' ? await ctx.customers.emailOf(owner.userId) : null;
  const priced = await priceCheckout(ctx, {
    currency,
    lines: lines.map((l) => ({ variantId: l.variantId, productId: l.productId, sku: l.sku, name: l.productName, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, weightGrams: l.weightGrams })),
    shippingMinor,
    country,
    subdivision: q.subdivision?.toUpperCase() ?? null,
    promotionCode: q.promotionCode ?? null,
    customerKey: email?.toLowerCase() ?? null,
  });
  if (!priced.ok) return fail(priced.error);
  const { codeRefused } = priced.value;
  const code = q.promotionCode?.trim().toUpperCase();
  return ok({
    ...priced.value.priced,
    currency,
    promotionCode: code === undefined ? null : codeRefused ? { ...codeRefused, applied: false } : { code, applied: true },
  });
}
