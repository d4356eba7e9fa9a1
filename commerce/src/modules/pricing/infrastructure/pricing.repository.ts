import type { PricingRepository } from '../application/ports/pricing.repository.ts';
import type { Region } from '../domain/region.ts';

interface RegionRow {
  id: string;
  name: string;
  currency: string;
  countries: string[];
  tax_inclusive: boolean;
  fx_from: string | null;
  fx_rate_micros: number | string | null;
}

const toRegion = (r: RegionRow): Region => ({
  id: r.id,
  name: r.name,
  currency: r.currency,
  countries: r.countries,
  taxInclusive: r.tax_inclusive,
  fxFrom: r.fx_from,
  fxRateMicros: r.fx_rate_micros === null ? null : Number(r.fx_rate_micros),
});

export const pricingRepository: PricingRepository = {
  async regions(sql) {
    const { rows } = await sql.query<RegionRow>('select id, name, currency, countries, tax_inclusive, fx_from, fx_rate_micros from pricing.regions order by position, id');
    return rows.map(toRegion);
  },
  async explicitPrices(sql, currency, variantIds) {
    if (variantIds.length === 0) return new Map();
    const { rows } = await sql.query<{ variant_id: string; amount_minor: number | string }>(
      'select variant_id, amount_minor from pricing.variant_prices where currency = $1 and variant_id = any($2::uuid[])',
      [currency, variantIds],
    );
    return new Map(rows.map((r) => [r.variant_id, Number(r.amount_minor)]));
  },
  async taxClasses(sql, productIds) {
    if (productIds.length === 0) return new Map();
    const { rows } = await sql.query<{ product_id: string; tax_class: string }>(
      'select product_id, tax_class from pricing.product_tax_classes where product_id = any($1::uuid[])',
      [productIds],
    );
    return new Map(rows.map((r) => [r.product_id, r.tax_class]));
  },
  async upsertRegion(sql, r, position) {
    await sql.query(
      `insert into pricing.regions (id, name, currency, countries, tax_inclusive, fx_from, fx_rate_micros, position)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (id) do update set name = excluded.name, currency = excluded.currency, countries = excluded.countries,
         tax_inclusive = excluded.tax_inclusive, fx_from = excluded.fx_from, fx_rate_micros = excluded.fx_rate_micros, position = excluded.position`,
      [r.id, r.name, r.currency, r.countries, r.taxInclusive, r.fxFrom, r.fxRateMicros, position],
    );
  },
  async setTaxClass(sql, productId, taxClass) {
    await sql.query(
      'insert into pricing.product_tax_classes (product_id, tax_class) values ($1, $2) on conflict (product_id) do update set tax_class = excluded.tax_class',
      [productId, taxClass],
    );
  },
  async setPrice(sql, variantId, currency, amountMinor) {
    await sql.query(
      'insert into pricing.variant_prices (variant_id, currency, amount_minor) values ($1, $2, $3) on conflict (variant_id, currency) do update set amount_minor = excluded.amount_minor',
      [variantId, currency, amountMinor],
    );
  },
};
