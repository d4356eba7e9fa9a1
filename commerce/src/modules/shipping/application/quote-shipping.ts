import type { ShippingError } from '../domain/shipping.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { ShippingContext } from './shipping.context.ts';
import type { QuoteRequest, ShippingQuoteOption } from './shipping.dto.ts';

/**
 * The options an order can ship with, cheapest first, in the order's currency. Checkout asks
 * this (through the port the composition root wires) and records the chosen option's price.
 */
export async function quoteShipping(ctx: Pick<ShippingContext, 'provider'> & Partial<Pick<ShippingContext, 'convert'>>, request: QuoteRequest): Promise<Result<ShippingQuoteOption[], ShippingError>> {
  const quoted = await ctx.provider.quote(
    { weightGrams: request.weightGrams },
    { country: request.country.toUpperCase(), postalCode: request.postalCode ?? '' },
    { orderSubtotalMinor: request.subtotalMinor },
  );
  if (!quoted.ok) return quoted;
  const currency = request.currency.toUpperCase();
  // Converting money is not shipping's business: it asks pricing (when wired), else a carrier pricing in another currency cannot be offered.
  let options = quoted.options;
  const convert = ctx.convert;
  if (convert && options.some((o) => o.currency !== currency)) {
    const converted = await Promise.all(options.map(async (o) => (o.currency === currency ? o : { ...o, amountMinor: await convert(o.amountMinor, o.currency, currency), currency })));
    if (converted.every((o): o is typeof o & { amountMinor: number } => o.amountMinor !== null)) options = converted;
  }
  if (options.some((o) => o.currency !== currency)) {
    return fail({ code: 'SHIPPING.UNSUPPORTED_CURRENCY', message: `Shipping is priced in ${options[0]?.currency}, not ${currency}` });
  }
  return ok(
    options.map((o) => ({ id: o.optionId, name: o.label, priceMinor: o.amountMinor, currency: o.currency, estimatedDays: { ...o.estimatedDays } })),
  );
}
