import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * Notifications owns the `notifications` schema: copies of what later emails need, taken from
 * earlier events (`OrderCreated`, `LabelPurchased`), since it may not read other modules' tables.
 */
export const notificationsMigrations: ModuleMigrations = {
  schema: 'notifications',
  migrations: [
    {
      id: '001_recipients',
      sql: `
create table notifications.recipients (
  order_id uuid primary key,
  order_number text not null,
  email text not null,
  customer_name text not null,
  currency text not null,
  total_minor bigint not null,
  lines jsonb not null check (jsonb_typeof(lines) = 'array'),
  created_at timestamptz(3) not null default now()
);

create table notifications.shipment_labels (
  order_id uuid primary key,
  carrier text not null,
  tracking_number text not null,
  created_at timestamptz(3) not null default now()
);
`,
    },
    {
      // The confirmation is sent once the payment completes, long after OrderCreated: keep what it shows.
      id: '002_confirmation_content',
      sql: `alter table notifications.recipients add column confirmation jsonb;`,
    },
    {
      // Which emails went out about which order, for the admin's order detail; keyed like the mailer.
      id: '003_sent_emails',
      sql: `
create table notifications.sent_emails (
  idempotency_key text primary key,
  order_id uuid not null,
  kind text not null,
  recipient text not null,
  subject text not null,
  message_id text not null,
  sent_at timestamptz(3) not null
);
create index sent_emails_order_idx on notifications.sent_emails (order_id, sent_at);
`,
    },
  ],
};
