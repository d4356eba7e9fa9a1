import type { Database } from '../../../shared/database/database.ts';
import type { Region } from '../domain/region.ts';
import type { PricingRepository } from './ports/pricing.repository.ts';
import type { TaxProvider } from './ports/tax-provider.port.ts';

export interface PricingContext {
  db: Database;
  repository: PricingRepository;
  taxes: TaxProvider;
  /** Regions as recently read (see regions-cache.ts). */
  regions: () => Promise<Region[]>;
}
