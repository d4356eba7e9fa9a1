import type { ModuleMigrations } from '../../../shared/database/index.ts';
import { announcingFunction } from '../../../shared/database/kept-until-notice.ts';

/**
 * The promotions module owns the `promotions` schema. Orders are referred to by id only.
 * `used_count` is the total usage counter the checkout's conditional update guards
 * (docs/adr/0066); `customer_uses` the per-customer one, keyed by the customer's email.
 */
const schema = `
create table promotions.promotions (
  id uuid primary key,
  code text check (code ~ '^[A-Z0-9_-]{3,40}$'),
  name text not null,
  kind text not null check (kind in ('percentage', 'fixed_amount', 'free_shipping')),
  value bigint not null check (value >= 0),
  currency text check (currency ~ '^[A-Z]{3}$'),
  min_subtotal_minor bigint not null default 0 check (min_subtotal_minor >= 0),
  starts_at timestamptz(3),
  ends_at timestamptz(3),
  usage_limit integer check (usage_limit > 0),
  per_customer_limit integer check (per_customer_limit > 0),
  used_count integer not null default 0 check (used_count >= 0),
  disabled_at timestamptz(3),
  created_at timestamptz(3) not null,
  constraint promotions_code_key unique (code),
  constraint promotions_used_within_limit check (usage_limit is null or used_count <= usage_limit),
  constraint promotions_percentage_range check (kind <> 'percentage' or value between 1 and 10000),
  constraint promotions_fixed_has_currency check (kind <> 'fixed_amount' or currency is not null),
  constraint promotions_minimum_has_currency check (min_subtotal_minor = 0 or currency is not null),
  constraint promotions_window check (ends_at is null or starts_at is null or ends_at > starts_at)
);
create index promotions_automatic_idx on promotions.promotions (created_at) where code is null and disabled_at is null;
create index promotions_created_idx on promotions.promotions (created_at desc, id desc);

create table promotions.customer_uses (
  promotion_id uuid not null references promotions.promotions (id) on delete cascade,
  customer_key text not null,
  uses integer not null check (uses > 0),
  primary key (promotion_id, customer_key)
);

create table promotions.redemptions (
  promotion_id uuid not null references promotions.promotions (id) on delete cascade,
  order_id uuid not null,
  customer_key text not null,
  amount_minor bigint not null check (amount_minor >= 0),
  currency text not null,
  at timestamptz(3) not null,
  primary key (promotion_id, order_id)
);
`;

export const PROMOTIONS_CHANGED_CHANNEL = 'promotions_changed';

/**
 * A change to what a promotion is (created, edited, disabled, deleted: from the back office or by
 * SQL) is announced on `promotions_changed` at its commit; instances keep the automatic promotions
 * until then. Counting a use (`used_count`) is not announced: every order with a promotion does it,
 * and a NOTIFY serialises the commits of the transactions that send one. Promotions with limits are
 * read at each checkout instead.
 */
const changeNotices = `${announcingFunction('promotions.announce_change', PROMOTIONS_CHANGED_CHANNEL)}
create trigger promotions_changed after insert or delete on promotions.promotions
  for each statement execute function promotions.announce_change();
create trigger promotions_edited after update on promotions.promotions
  for each row when ((old.code, old.name, old.kind, old.value, old.currency, old.min_subtotal_minor, old.starts_at, old.ends_at,
                      old.usage_limit, old.per_customer_limit, old.disabled_at, old.created_at)
    is distinct from (new.code, new.name, new.kind, new.value, new.currency, new.min_subtotal_minor, new.starts_at, new.ends_at,
                      new.usage_limit, new.per_customer_limit, new.disabled_at, new.created_at))
  execute function promotions.announce_change();
`;

export const promotionsMigrations: ModuleMigrations = {
  schema: 'promotions',
  migrations: [
    { id: '001_promotions', sql: schema },
    { id: '002_change_notices', sql: changeNotices },
  ],
};
