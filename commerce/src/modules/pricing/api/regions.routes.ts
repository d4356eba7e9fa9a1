import type { ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { PricingContext } from '../application/pricing.context.ts';
import { TAX_CLASSES } from '../domain/built-in-tax-rates.ts';
import { minorUnitDigits } from '../domain/currency.ts';
import type { Region } from '../domain/region.ts';

const region = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  currencyDigits: z.number().int().describe('decimal places of the currency (ISO 4217): JPY 0, EUR 2'),
  countries: z.array(z.string()),
  taxInclusive: z.boolean().describe('true: prices include tax (EU); false: tax is added at checkout (US)'),
});
const rate = z.object({ country: z.string(), taxClass: z.string(), rates: z.array(z.object({ name: z.string(), rateBp: z.number().int() })) });
const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
const SIGNED_IN: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

const view = (r: Region) => ({ id: r.id, name: r.name, currency: r.currency, currencyDigits: minorUnitDigits(r.currency), countries: r.countries, taxInclusive: r.taxInclusive });

/** Regions for the storefront's selector (public) and, with their tax rates, for the back office. */
export function regionRoutes(ctx: PricingContext, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/regions',
      {
        schema: {
          tags: ['pricing'],
          summary: 'Regions a shopper can choose: each has a currency and says whether prices include tax',
          querystring: z.strictObject({}),
          response: { 200: z.object({ regions: z.array(region) }), 400: errorSchema },
        },
      },
      async () => ({ regions: (await ctx.regions()).map(view) }),
    );
    await app.register(async (admin) => {
      guardPermission(admin, auth, 'pricing.read');
      admin.withTypeProvider<ZodTypeProvider>().get(
        '/admin/regions',
        {
          schema: {
            tags: ['admin'],
            security: SIGNED_IN,
            summary: 'Regions with the tax rates that apply in each of their countries, per tax class',
            querystring: z.strictObject({}),
            response: {
              200: z.object({ taxProvider: z.string(), regions: z.array(region.extend({ fxFrom: z.string().nullable(), fxRateMicros: z.number().int().nullable(), rates: z.array(rate) })) }),
              400: errorSchema,
              401: errorSchema,
              403: errorSchema,
            },
          },
        },
        async () => {
          const regions = await ctx.regions();
          return {
            taxProvider: ctx.taxes.name,
            regions: await Promise.all(
              regions.map(async (r) => {
                const rates = [];
                for (const country of r.countries) {
                  const byClass = await ctx.taxes.ratesFor({ country, subdivision: null }, TAX_CLASSES);
                  for (const taxClass of TAX_CLASSES) rates.push({ country, taxClass, rates: byClass.get(taxClass) ?? [] });
                }
                return { ...view(r), fxFrom: r.fxFrom, fxRateMicros: r.fxRateMicros, rates };
              }),
            ),
          };
        },
      );
    });
  };
}
