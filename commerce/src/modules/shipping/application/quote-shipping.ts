import type { ShippingError } from '../domain/shipping.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { ShippingContext } from './shipping.context.ts';
import type { QuoteRequest, ShippingQuoteOption } from './shipping.dto.ts';

/**
 * The options an order can ship with, cheapest first, in the order's currency. Checkout asks
 * this (through the port the composition root wires) and records the chosen option's price.
 */
export async function quoteShipping(ctx: Pick<ShippingContext, 'provider'>, request: QuoteRequest): Promise<Result<ShippingQuoteOption[], ShippingError>> {
  const quoted = await ctx.provider.quote(
    { weightGrams: request.weightGrams },
    { country: request.country.toUpperCase(), postalCode: request.postalCode ?? '' },
    { orderSubtotalMinor: request.subtotalMinor },
  );
  if (!quoted.ok) return quoted;
  const currency = request.currency.toUpperCase();
  // Converting money is not shipping's business: a carrier pricing in another currency cannot be offered.
  if (quoted.options.some((o) => o.currency !== currency)) {
    return fail({ code: 'SHIPPING.UNSUPPORTED_CURRENCY', message: `Shipping is priced in ${quoted.options[0]?.currency}, not ${currency}` });
  }
  return ok(
    quoted.options.map((o) => ({ id: o.optionId, name: o.label, priceMinor: o.amountMinor, currency: o.currency, estimatedDays: { ...o.estimatedDays } })),
  );
}
