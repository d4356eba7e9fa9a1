import type { Logger } from '@shop/platform';
import type { FastifyRequest } from 'fastify';
import type { Result } from '@shop/platform/result';
import type { Database } from '../../shared/database/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { regionRoutes } from './api/regions.routes.ts';
import { DEMO_REGIONS } from './application/demo-regions.ts';
import { priceOffers, type PricedItem } from './application/price-offers.ts';
import type { PricingContext } from './application/pricing.context.ts';
import type { TaxProvider } from './application/ports/tax-provider.port.ts';
import { quoteTaxes, type TaxQuote, type TaxQuoteError, type TaxQuoteRequest } from './application/quote-taxes.ts';
import { regionsCache } from './application/regions-cache.ts';
import { convertPrice } from './domain/convert-price.ts';
import type { Region } from './domain/region.ts';
import { builtInTaxProvider } from './infrastructure/built-in.tax-provider.ts';
import { pricingRepository } from './infrastructure/pricing.repository.ts';
import { pricingMigrations, TAX_CLASSES_CHANGED_CHANNEL } from './infrastructure/pricing.migrations.ts';
import { keptUntilNotice } from '../../shared/database/kept-until-notice.ts';
import type { PricingRepository } from './application/ports/pricing.repository.ts';

export interface PricingModuleDeps {
  db: Database;
  auth: Authenticator;
  logger: Logger;
  /** The built-in rates table unless given. */
  taxes?: TaxProvider;
  /** How long a read of the regions is reused (ms). */
  regionsTtlMs?: number;
  /** How long products' tax classes are kept at most without a change notice (ms). */
  taxClassesMaxAgeMs?: number;
  /** Create the demo regions (EU/EUR, US/USD, Japan/JPY) at start when there are none. */
  seedDemoData?: boolean;
}

/** The cookie (and header, `x-region`) naming the region a visitor chose. */
export const REGION_COOKIE = 'region';

export interface PricingApi {
  regions(): Promise<Region[]>;
  /** The currency of the region the request names (`x-region` header, else the `region` cookie); null when none or unknown. */
  currencyOf(request: FastifyRequest): Promise<string | null>;
  /** The currency of the region with this id; null when there is none. */
  currencyOfRegion(regionId: string): Promise<string | null>;
  /** Catalog items priced in `currency` (price-offers.ts). */
  priceIn<T extends PricedItem>(currency: string, items: readonly T[]): Promise<T[]>;
  /** An amount converted into `to` at the rate of the region selling in `to` (null: no rate from `from`). */
  convert(amountMinor: number, from: string, to: string): Promise<number | null>;
  /** Tax lines for an order in the region of its currency (quote-taxes.ts). */
  quoteTaxes(request: TaxQuoteRequest): Promise<Result<TaxQuote, TaxQuoteError>>;
}

/**
 * Regions, prices per currency and taxes, in the `pricing` schema. The cart asks it for prices in
 * the visitor's currency; checkout asks it for the order's tax lines.
 */
export function createPricingModule(deps: PricingModuleDeps): CommerceModule<PricingApi> & Required<Pick<CommerceModule<PricingApi>, 'migrations' | 'routes' | 'start' | 'stop'>> {
  const cache = regionsCache(() => pricingRepository.regions(deps.db), deps.regionsTtlMs ?? 10_000);
  // Every checkout and quote asks for its products' classes; a product without a row is kept as such too.
  const taxClasses = keptUntilNotice<string>({ channel: TAX_CLASSES_CHANGED_CHANNEL, maxAgeMs: deps.taxClassesMaxAgeMs ?? 60_000 });
  const repository: PricingRepository = {
    ...pricingRepository,
    taxClasses: (sql, productIds) => taxClasses.getMany(productIds, (missing) => pricingRepository.taxClasses(sql, missing)),
  };
  const ctx: PricingContext = { db: deps.db, repository, taxes: deps.taxes ?? builtInTaxProvider, regions: cache.get };
  return {
    name: 'pricing',
    api: {
      regions: cache.get,
      async currencyOf(request) {
        const header = request.headers['x-region'];
        const id = (typeof header === 'string' ? header : undefined) ?? request.cookies?.[REGION_COOKIE];
        if (!id) return null;
        return (await cache.get()).find((r) => r.id === id)?.currency ?? null;
      },
      currencyOfRegion: async (id) => (await cache.get()).find((r) => r.id === id)?.currency ?? null,
      priceIn: (currency, items) => priceOffers(ctx, currency, items),
      async convert(amountMinor, from, to) {
        if (from === to) return amountMinor;
        const region = (await cache.get()).find((r) => r.currency === to);
        return region?.fxFrom === from && region.fxRateMicros !== null ? convertPrice(amountMinor, from, region.fxRateMicros, to) : null;
      },
      quoteTaxes: (request) => quoteTaxes(ctx, request),
    },
    migrations: pricingMigrations,
    routes: regionRoutes(ctx, deps.auth),
    async start() {
      await taxClasses.listen(deps.db);
      if (!deps.seedDemoData || (await pricingRepository.regions(deps.db)).length > 0) return;
      for (const [i, r] of DEMO_REGIONS.entries()) await pricingRepository.upsertRegion(deps.db, r, i);
      cache.clear();
      deps.logger.info({ regions: DEMO_REGIONS.map((r) => r.id) }, 'demo regions created');
    },
    stop: () => taxClasses.stop(),
  };
}
