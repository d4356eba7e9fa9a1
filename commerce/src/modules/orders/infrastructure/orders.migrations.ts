import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * The orders module owns the `orders` schema. Variants and users are referred to by id only:
 * no foreign key leaves the schema. Lines and addresses are snapshots (jsonb): an order shows
 * what was bought, whatever the catalog says later.
 */
const schema = `
create sequence orders.order_number_seq;

create table orders.orders (
  id uuid primary key,
  order_number text not null default ('SO-' || lpad(nextval('orders.order_number_seq')::text, 8, '0')),
  status text not null check (status in
    ('pending_payment', 'paid', 'fulfilled', 'shipped', 'delivered', 'payment_failed', 'cancelled', 'refunded')),
  user_id text,
  -- 'user:<id>' or 'guest:<sha256 of the cart token>': the idempotency scope and the checkout identity's prefix.
  owner_key text not null,
  email text not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  subtotal_minor bigint not null check (subtotal_minor >= 0),
  shipping_minor bigint not null check (shipping_minor >= 0),
  total_minor bigint not null check (total_minor = subtotal_minor + shipping_minor),
  lines jsonb not null check (jsonb_typeof(lines) = 'array' and jsonb_array_length(lines) > 0),
  shipping_address jsonb not null,
  shipping_option jsonb not null,
  paid_minor bigint not null default 0 check (paid_minor >= 0),
  cancel_reason text check (cancel_reason in ('payment_failed', 'payment_expired', 'admin', 'customer')),
  access_token_hash text,
  -- The cart this order was placed from (owner plus content hash); see place-order.ts.
  checkout_identity text not null,
  created_at timestamptz(3) not null,
  updated_at timestamptz(3) not null,
  constraint orders_order_number_key unique (order_number)
);
-- One pending order per cart: a double click or a retry with a fresh key finds the first one.
-- Partial, so the same basket bought again after paying is a new order.
create unique index orders_pending_checkout_identity_key on orders.orders (checkout_identity) where status = 'pending_payment';
create index orders_user_idx on orders.orders (user_id, created_at desc, id desc) where user_id is not null;
create index orders_created_idx on orders.orders (created_at desc, id desc);
create index orders_status_created_idx on orders.orders (status, created_at desc, id desc);
create index orders_email_idx on orders.orders (lower(email), created_at desc, id desc);

create table orders.order_events (
  id bigint generated always as identity primary key,
  order_id uuid not null references orders.orders (id) on delete cascade,
  from_status text,
  to_status text not null,
  cause text not null,
  -- The bus event that caused it, when one did.
  event_id uuid,
  at timestamptz(3) not null
);
create index order_events_order_idx on orders.order_events (order_id, id);

-- Stored answers to POST /checkout, per caller and Idempotency-Key.
create table orders.checkout_requests (
  owner_key text not null,
  idempotency_key text not null,
  request_hash text not null,
  order_id uuid not null references orders.orders (id) on delete cascade,
  response jsonb not null,
  created_at timestamptz(3) not null,
  primary key (owner_key, idempotency_key)
);
`;

// Refunds an admin asked for: priced by orders (which knows the lines), paid out by payments.
const refunds = `
create table orders.refunds (
  id uuid primary key,
  order_id uuid not null references orders.orders (id) on delete cascade,
  idempotency_key text not null,
  request_hash text not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  lines jsonb not null check (jsonb_typeof(lines) = 'array'),
  shipping boolean not null,
  reason text not null,
  status text not null check (status in ('requested', 'refunded')),
  requested_by text not null,
  created_at timestamptz(3) not null,
  refunded_at timestamptz(3),
  constraint refunds_order_key unique (order_id, idempotency_key)
);
create index refunds_order_idx on orders.refunds (order_id, created_at);
-- The admin's search by order number ignores case (so-00000042).
create index orders_number_lower_idx on orders.orders (lower(order_number));
`;

/**
 * Region, taxes and promotions of an order (docs/adr/0065, 0066). Per-line discounts and tax
 * lines live in the lines' jsonb; the order's sums are columns so the database checks that
 * they add up: the total is subtotal − discount + shipping, plus tax unless prices include it.
 */
const pricing = `
alter table orders.orders
  add column region_id text,
  add column tax_inclusive boolean not null default false,
  add column discount_minor bigint not null default 0 check (discount_minor >= 0),
  add column shipping_discount_minor bigint not null default 0 check (shipping_discount_minor >= 0),
  add column shipping_tax_minor bigint not null default 0 check (shipping_tax_minor >= 0),
  add column shipping_tax_lines jsonb not null default '[]' check (jsonb_typeof(shipping_tax_lines) = 'array'),
  add column tax_minor bigint not null default 0 check (tax_minor >= 0),
  add column promotions jsonb not null default '[]' check (jsonb_typeof(promotions) = 'array');
alter table orders.orders drop constraint orders_check;
alter table orders.orders
  add constraint orders_total_adds_up check (
    total_minor = subtotal_minor - discount_minor + shipping_minor + case when tax_inclusive then 0 else tax_minor end),
  add constraint orders_discount_within_price check (
    shipping_discount_minor <= shipping_minor and discount_minor - shipping_discount_minor <= subtotal_minor),
  add constraint orders_shipping_tax_within_tax check (shipping_tax_minor <= tax_minor);
`;

// Customers' returns of delivered units (order-return.ts); the receipt's refund is a row of orders.refunds.
const returns = `
create table orders.returns (
  id uuid primary key,
  order_id uuid not null references orders.orders (id) on delete cascade,
  idempotency_key text not null,
  request_hash text not null,
  lines jsonb not null check (jsonb_typeof(lines) = 'array' and jsonb_array_length(lines) > 0),
  reason text not null,
  status text not null check (status in ('requested', 'approved', 'refused', 'received')),
  decision_note text,
  decided_by text,
  disposition text check (disposition in ('restock', 'write_off')),
  refund_id uuid references orders.refunds (id),
  refund_minor bigint check (refund_minor >= 0),
  received_by text,
  created_at timestamptz(3) not null,
  decided_at timestamptz(3),
  received_at timestamptz(3),
  constraint returns_order_key unique (order_id, idempotency_key),
  constraint returns_received_once check ((status = 'received') = (received_at is not null))
);
create index returns_order_idx on orders.returns (order_id, created_at);
create index returns_status_idx on orders.returns (status, created_at);
`;

export const ordersMigrations: ModuleMigrations = {
  schema: 'orders',
  migrations: [
    { id: '001_orders', sql: schema },
    { id: '002_refunds', sql: refunds },
    { id: '003_pricing', sql: pricing },
    { id: '004_returns', sql: returns },
  ],
};
