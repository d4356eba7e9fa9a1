import { fail, ok, type Result } from '@shop/platform/result';
import { taxOn, type TaxLine } from '../domain/tax.ts';
import type { PricingContext } from './pricing.context.ts';

export interface TaxQuoteRequest {
  currency: string;
  /** Destination: the shipping address. */
  country: string;
  subdivision: string | null;
  /** Each line's amount after its discount, in the order's currency. */
  lines: readonly { productId: string; netMinor: number }[];
  shippingNetMinor: number;
}

export interface TaxQuote {
  regionId: string;
  taxInclusive: boolean;
  lines: { taxClass: string; taxLines: TaxLine[] }[];
  shippingTaxLines: TaxLine[];
}

export type TaxQuoteError =
  | { code: 'PRICING.NO_REGION_FOR_CURRENCY'; message: string }
  | { code: 'PRICING.COUNTRY_OUTSIDE_REGION'; regionId: string; message: string };

/**
 * Taxes of an order: the region is the one of the order's currency, the destination country must
 * belong to it; each line's rate comes from its product's tax class, shipping is taxed at the
 * standard rate. Rounded per line (tax.ts). One read (tax classes) plus the provider's.
 */
export async function quoteTaxes(ctx: PricingContext, r: TaxQuoteRequest): Promise<Result<TaxQuote, TaxQuoteError>> {
  const region = (await ctx.regions()).find((x) => x.currency === r.currency);
  if (!region) return fail({ code: 'PRICING.NO_REGION_FOR_CURRENCY', message: `No region sells in ${r.currency}` });
  if (!region.countries.includes(r.country)) {
    return fail({
      code: 'PRICING.COUNTRY_OUTSIDE_REGION',
      regionId: region.id,
      message: `shippingAddress.country: ${r.country} is not in the ${region.name} region this cart is priced for (${region.countries.join(', ')})`,
    });
  }
  const classes = await ctx.repository.taxClasses(ctx.db, [...new Set(r.lines.map((l) => l.productId))]);
  const classOf = (productId: string) => classes.get(productId) ?? 'standard';
  const wanted = [...new Set(['standard', ...r.lines.map((l) => classOf(l.productId))])];
  const rates = await ctx.taxes.ratesFor({ country: r.country, subdivision: r.subdivision }, wanted);
  const inclusive = region.taxInclusive;
  return ok({
    regionId: region.id,
    taxInclusive: inclusive,
    lines: r.lines.map((l) => ({ taxClass: classOf(l.productId), taxLines: taxOn(l.netMinor, rates.get(classOf(l.productId)) ?? [], inclusive) })),
    shippingTaxLines: taxOn(r.shippingNetMinor, rates.get('standard') ?? [], inclusive),
  });
}
