import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * `tracking.outbox` spools Segment messages until the collector has them; `tracking.orders`
 * keeps what `Order Completed` needs from `OrderCreated` (and the checkout's anonymous id)
 * until the order is paid. No foreign key leaves the schema.
 */
export const trackingMigrations: ModuleMigrations = {
  schema: 'tracking',
  migrations: [
    {
      id: '001_outbox',
      sql: `
create table tracking.outbox (
  id bigserial primary key,
  message_id text not null,
  message jsonb not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  -- A claim's lease: another instance may take the row over once it has passed (crash mid-send).
  locked_until timestamptz
);
create unique index outbox_message_id_key on tracking.outbox (message_id);

create table tracking.orders (
  order_id uuid primary key,
  user_id text,
  anonymous_id text,
  currency text,
  total_minor bigint,
  created_at timestamptz not null default now()
);
`,
    },
  ],
};
