import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * Payments owns the `payments` schema: one row per order (the unique order id is what makes
 * charging idempotent per order). Orders are referred to by id only; no foreign key leaves
 * the schema, so the module can move to its own process and database unchanged.
 */
export const paymentsMigrations: ModuleMigrations = {
  schema: 'payments',
  migrations: [
    {
      id: '001_payments',
      sql: `
create table payments.payments (
  id uuid primary key,
  order_id uuid not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  state text not null check (state in ('initiated', 'requires_confirmation', 'authorized', 'captured', 'partially_refunded', 'refunded', 'failed')),
  intent_id text,
  captured_minor bigint not null default 0,
  refunded_minor bigint not null default 0,
  refund_ids jsonb not null default '[]' check (jsonb_typeof(refund_ids) = 'array'),
  failure_code text,
  failure_reason text,
  -- The conversation (checkout) the order's events belong to, carried onto every event we publish.
  correlation_id text,
  created_at timestamptz(3) not null,
  updated_at timestamptz(3) not null,
  constraint payments_order_id_key unique (order_id)
);
create index payments_intent_idx on payments.payments (intent_id);
create index payments_newest_idx on payments.payments (created_at desc, id desc);
`,
    },
    {
      // Who may ask about the payment (the confirm route): the order's customer, or a guest holding the order token.
      id: '002_payment_owner',
      sql: `
alter table payments.payments add column owner_user_id uuid;
alter table payments.payments add column access_token_hash text;
`,
    },
    {
      // An authorization released because the order was cancelled before its capture.
      id: '004_voided_state',
      sql: `
alter table payments.payments drop constraint payments_state_check;
alter table payments.payments add constraint payments_state_check
  check (state in ('initiated', 'requires_confirmation', 'authorized', 'captured', 'partially_refunded', 'refunded', 'failed', 'voided'));
`,
    },
    {
      // Signed webhooks that did not match the order's payment: kept, counted, never applied.
      id: '003_webhook_rejections',
      sql: `
create table payments.webhook_rejections (
  id bigint generated always as identity primary key,
  gateway_event_id text not null,
  intent_id text not null,
  order_id uuid,
  reason text not null,
  received_at timestamptz(3) not null
);
`,
    },
  ],
};
