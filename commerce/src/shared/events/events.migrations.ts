import type { ModuleMigrations } from '../database/index.ts';

/** The channel `publish` notifies at commit; dispatchers LISTEN on it to start within milliseconds. */
export const OUTBOX_CHANNEL = 'events_outbox';

/**
 * The bus owns the `events` schema. Deliveries are fanned out at publish time, in the
 * publisher's transaction, from `subscriptions`: one row per (event, subscriber) so each
 * subscriber retries, dies and is replayed on its own.
 */
export const eventsMigrations: ModuleMigrations = {
  schema: 'events',
  migrations: [
    {
      id: '001_outbox',
      sql: `
create table events.outbox (
  id uuid primary key,
  position bigserial not null unique,
  type text not null,
  payload jsonb not null,
  occurred_at timestamptz not null,
  correlation_id text,
  causation_id text,
  recorded_at timestamptz not null default now()
);
create index outbox_type_position on events.outbox (type, position);

create table events.subscriptions (
  subscriber text not null,
  event_type text not null,
  registered_at timestamptz not null default now(),
  primary key (event_type, subscriber)
);

create table events.deliveries (
  id bigserial primary key,
  event_id uuid not null references events.outbox (id) on delete cascade,
  subscriber text not null,
  event_type text not null,
  status text not null default 'pending' check (status in ('pending', 'processing', 'done', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  done_at timestamptz,
  unique (event_id, subscriber)
);
-- The dispatcher's two questions: what is due, and whose lease has run out.
create index deliveries_due on events.deliveries (next_attempt_at, id) where status = 'pending';
create index deliveries_leased on events.deliveries (locked_until) where status = 'processing';
create index deliveries_subscriber_status on events.deliveries (subscriber, status, id);

create table events.inbox (
  subscriber text not null,
  event_id uuid not null,
  handled_at timestamptz not null default now(),
  primary key (subscriber, event_id)
);
`,
    },
  ],
};
