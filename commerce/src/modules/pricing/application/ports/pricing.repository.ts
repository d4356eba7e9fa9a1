import type { Sql } from '../../../../shared/database/database.ts';
import type { Region } from '../../domain/region.ts';

export interface PricingRepository {
  regions(sql: Sql): Promise<Region[]>;
  /** Explicit prices in `currency` for the variants that have one. */
  explicitPrices(sql: Sql, currency: string, variantIds: readonly string[]): Promise<Map<string, number>>;
  /** Tax classes of the products that have one set (others are `standard`). */
  taxClasses(sql: Sql, productIds: readonly string[]): Promise<Map<string, string>>;
  upsertRegion(sql: Sql, region: Region, position: number): Promise<void>;
  setTaxClass(sql: Sql, productId: string, taxClass: string): Promise<void>;
  setPrice(sql: Sql, variantId: string, currency: string, amountMinor: number): Promise<void>;
}
