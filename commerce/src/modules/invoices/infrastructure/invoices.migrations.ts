import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * The invoices module owns the `invoices` schema. Orders and payments are referred to by id only.
 * Numbers come from `number_sequences`, one row per series and year, incremented in the issuing
 * transaction: the row lock orders concurrent issuers and a rollback gives the number back, so the
 * numbers of a year are 1..N with no gap and no duplicate (a PostgreSQL sequence would leave gaps).
 */
const schema = `
create table invoices.number_sequences (
  series text not null,
  year int not null,
  last_number int not null check (last_number > 0),
  primary key (series, year)
);

create table invoices.documents (
  id uuid primary key,
  kind text not null check (kind in ('invoice', 'credit_note')),
  series text not null,
  year int not null,
  seq int not null check (seq > 0),
  number text not null,
  order_id uuid not null,
  source_id text not null,
  user_id text,
  access_token_hash text,
  total_minor bigint not null check (total_minor >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  content jsonb not null,
  issued_at timestamptz(3) not null,
  constraint documents_number_key unique (number),
  constraint documents_series_seq_key unique (series, year, seq),
  constraint documents_source_key unique (kind, source_id)
);
-- One invoice per order, whatever the payment events say.
create unique index documents_one_invoice_per_order on invoices.documents (order_id) where kind = 'invoice';
create index documents_order_idx on invoices.documents (order_id, issued_at);
`;

export const invoicesMigrations: ModuleMigrations = { schema: 'invoices', migrations: [{ id: '001_documents', sql: schema }] };
