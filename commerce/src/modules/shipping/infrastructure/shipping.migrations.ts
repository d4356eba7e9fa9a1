import type { ModuleMigrations } from '../../../shared/database/index.ts';

/**
 * Shipping owns the `shipping` schema. Orders are referred to by id only (no foreign key
 * leaves the schema). One shipment per order is the database's rule, not only the handler's.
 */
export const shippingMigrations: ModuleMigrations = {
  schema: 'shipping',
  migrations: [
    {
      id: '001_shipments',
      sql: `
create table shipping.shipments (
  id uuid primary key,
  order_id uuid not null,
  order_number text not null,
  option_id text not null,
  carrier text not null,
  tracking_number text not null,
  label_id text not null,
  label_url text not null,
  status text not null check (status in ('label_purchased', 'in_transit', 'delivered')),
  created_at timestamptz(3) not null,
  updated_at timestamptz(3) not null,
  constraint shipments_order_key unique (order_id),
  constraint shipments_tracking_key unique (carrier, tracking_number)
);
create index shipments_tracking_idx on shipping.shipments (tracking_number);

-- The carrier's webhook event ids seen so far: carriers deliver at least once.
create table shipping.tracking_events (
  event_id text primary key,
  shipment_id uuid not null references shipping.shipments (id),
  status text not null,
  occurred_at timestamptz not null,
  received_at timestamptz(3) not null
);
`,
    },
    {
      // The back office lists shipments newest first, by status, a keyset page at a time.
      id: '002_shipment_lists',
      sql: `
create index shipments_created_idx on shipping.shipments (created_at desc, id desc);
create index shipments_status_created_idx on shipping.shipments (status, created_at desc, id desc);
`,
    },
  ],
};
