import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * The catalog owns the `catalog` schema and nothing else; no foreign key leaves it.
 * Timestamps are millisecond precision so a keyset cursor carrying a JS timestamp matches exactly.
 */
const schema = `
create table catalog.categories (
  id uuid primary key,
  parent_id uuid references catalog.categories (id) on delete restrict,
  slug text not null,
  name text not null,
  path text not null,
  position integer not null default 0,
  created_at timestamptz(3) not null,
  updated_at timestamptz(3) not null,
  constraint categories_slug_key unique (slug),
  constraint categories_path_key unique (path),
  constraint categories_not_own_parent check (parent_id is distinct from id)
);
create index categories_parent_idx on catalog.categories (parent_id);
create index categories_path_prefix_idx on catalog.categories (path text_pattern_ops);

create table catalog.products (
  id uuid primary key,
  slug text not null,
  name text not null,
  description text not null default '',
  status text not null default 'draft' check (status in ('draft', 'published')),
  category_id uuid references catalog.categories (id) on delete restrict,
  images jsonb not null default '[]' check (jsonb_typeof(images) = 'array'),
  -- The cheapest variant, kept in step by every variant write, so price filters and the
  -- price sorts run on an index instead of aggregating variants per request.
  from_price_minor bigint,
  from_price_currency text,
  search tsvector generated always as (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
  ) stored,
  created_at timestamptz(3) not null,
  updated_at timestamptz(3) not null,
  constraint products_slug_key unique (slug)
);
create index products_search_idx on catalog.products using gin (search);
create index products_category_idx on catalog.products (category_id);
create index products_newest_idx on catalog.products (status, created_at desc, id desc);
create index products_price_idx on catalog.products (status, from_price_minor, id);
create index products_name_idx on catalog.products (status, (lower(name) collate "C"), id);

create table catalog.variants (
  id uuid primary key,
  product_id uuid not null references catalog.products (id) on delete cascade,
  sku text not null,
  options jsonb not null default '{}' check (jsonb_typeof(options) = 'object'),
  price_minor bigint not null check (price_minor >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  weight_grams integer not null check (weight_grams >= 0),
  on_hand integer not null default 0 check (on_hand >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  position integer not null default 0,
  created_at timestamptz(3) not null,
  updated_at timestamptz(3) not null,
  constraint variants_sku_key unique (sku),
  constraint variants_reserved_within_on_hand check (reserved <= on_hand)
);
create index variants_product_idx on catalog.variants (product_id, position);

-- No foreign key to variants: the audit trail outlives a deleted variant.
create table catalog.stock_adjustments (
  id uuid primary key,
  -- Orders adjustments made within one millisecond by when they were written.
  seq bigint generated always as identity,
  variant_id uuid not null,
  delta integer not null check (delta <> 0),
  reason text not null,
  actor_id text not null,
  on_hand_after integer not null,
  created_at timestamptz(3) not null
);
create index stock_adjustments_variant_idx on catalog.stock_adjustments (variant_id, seq desc);
`;

/** Listings filtered by variant option (`option=size:M`) test containment, `options @> '{"size":"M"}'`. */
const variantOptionsIndex = `create index variants_options_idx on catalog.variants using gin (options jsonb_path_ops);`;

/**
 * Typo tolerance: the words shoppers can find (from published products' names and descriptions)
 * in a table with a trigram index, so a search word that is no catalog word is corrected to its
 * nearest one (`hoddie` -> `hoodie`). A table of words rather than trigrams on the names themselves:
 * a misspelt word scores too low against a whole name to pass any useful threshold.
 * Words are never removed (an unpublished product's words stay): a stale word costs at most a
 * suggestion that finds nothing, never a wrong result. `pg_trgm` is a trusted extension, and PGlite
 * loads it from `@electric-sql/pglite/contrib/pg_trgm`.
 */
const searchWords = `
create extension if not exists pg_trgm;
create table catalog.search_words (word text primary key);
create index search_words_trgm_idx on catalog.search_words using gist (word gist_trgm_ops);
create function catalog.words_of(body text) returns setof text language sql immutable as $$
  select distinct w from regexp_split_to_table(lower(body), '[^[:alnum:]]+') w where length(w) between 3 and 40
$$;
create function catalog.remember_search_words() returns trigger language plpgsql as $$
begin
  if new.status = 'published' then
    insert into catalog.search_words (word)
    select catalog.words_of(new.name || ' ' || new.description) on conflict do nothing;
  end if;
  return new;
end
$$;
create trigger products_search_words after insert or update of name, description, status on catalog.products
  for each row execute function catalog.remember_search_words();
insert into catalog.search_words (word)
  select catalog.words_of(name || ' ' || description) from catalog.products where status = 'published'
  on conflict do nothing;
`;

/**
 * A variant's stock state as shoppers are shown it: in stock or not (`in_stock`, kept by PostgreSQL
 * with every stock move) and, at 5 units left or fewer, how many ("only 3 left"). A transaction
 * that changes it announces it on `catalog_stock_state` (payload: the product id) at its commit, so
 * shopper caches keep their entries until what they show changes instead of for a second.
 * Moves above 5 left do not notify: a NOTIFY serialises the commits of the transactions that send
 * one, which every order would otherwise do; shoppers see those counts within `CATALOG_CACHE_TTL_MS`.
 */
const stockState = `
alter table catalog.variants add column in_stock boolean generated always as (on_hand > reserved) stored;
create function catalog.announce_stock_state() returns trigger language plpgsql as $$
begin
  perform pg_notify('catalog_stock_state', new.product_id::text);
  return null;
end
$$;
create trigger variants_stock_state after update of on_hand, reserved on catalog.variants
  for each row when (old.in_stock is distinct from new.in_stock
    or (old.on_hand - old.reserved <> new.on_hand - new.reserved and least(old.on_hand - old.reserved, new.on_hand - new.reserved) <= 5))
  execute function catalog.announce_stock_state();
`;

export const catalogMigrations: ModuleMigrations = {
  schema: 'catalog',
  migrations: [
    { id: '001_catalog', sql: schema },
    { id: '002_variant_options_index', sql: variantOptionsIndex },
    // The back office's low-stock list reads variants by what is left to sell.
    { id: '003_available_index', sql: 'create index variants_available_idx on catalog.variants ((on_hand - reserved), sku);' },
    { id: '004_search_words', sql: searchWords },
    { id: '005_stock_state', sql: stockState },
  ],
};
