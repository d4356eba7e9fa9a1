import type { ModuleMigrations } from '../../../shared/database/index.ts';
import { announcingFunction } from '../../../shared/database/kept-until-notice.ts';

/**
 * The pricing module owns the `pricing` schema: regions, explicit prices per currency per
 * variant, product tax classes and the operator's tax rates. Variants and products are referred
 * to by id only (the catalog owns them).
 */
const schema = `
create table pricing.regions (
  id text primary key check (id ~ '^[a-z0-9-]{1,40}$'),
  name text not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  countries text[] not null,
  tax_inclusive boolean not null,
  fx_from text check (fx_from ~ '^[A-Z]{3}$'),
  fx_rate_micros bigint check (fx_rate_micros > 0),
  position integer not null default 0,
  constraint regions_currency_key unique (currency),
  constraint regions_fx_pair check ((fx_from is null) = (fx_rate_micros is null))
);

create table pricing.variant_prices (
  variant_id uuid not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  amount_minor bigint not null check (amount_minor >= 0),
  primary key (variant_id, currency)
);

create table pricing.product_tax_classes (
  product_id uuid primary key,
  tax_class text not null check (tax_class in ('standard', 'reduced', 'zero'))
);

create table pricing.tax_rates (
  region_key text not null check (region_key ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  tax_class text not null check (tax_class in ('standard', 'reduced', 'zero')),
  rate_bp integer not null check (rate_bp between 0 and 10000),
  primary key (region_key, tax_class)
);
`;

export const TAX_CLASSES_CHANGED_CHANNEL = 'pricing_tax_classes_changed';

/**
 * Any change to the products' tax classes (nothing in the app writes them: an operator or a
 * migration does) is announced on `pricing_tax_classes_changed` at its commit; instances keep the
 * classes they read until then.
 */
const taxClassNotices = `${announcingFunction('pricing.announce_tax_classes', TAX_CLASSES_CHANGED_CHANNEL)}
create trigger product_tax_classes_changed after insert or update or delete or truncate on pricing.product_tax_classes
  for each statement execute function pricing.announce_tax_classes();
`;

export const pricingMigrations: ModuleMigrations = {
  schema: 'pricing',
  migrations: [
    { id: '001_pricing', sql: schema },
    { id: '002_tax_class_notices', sql: taxClassNotices },
  ],
};
