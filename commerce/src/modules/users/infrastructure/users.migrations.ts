import type { ModuleMigrations } from '../../../shared/database/index.ts';

/** The `users` schema. Other modules refer to users by id only; no foreign key crosses into here. */
export const usersMigrations: ModuleMigrations = {
  schema: 'users',
  migrations: [
    {
      id: '001_users_sessions_addresses',
      sql: `
create table users.users (
  id uuid primary key,
  email text not null unique check (email = lower(email)),
  password_hash text not null,
  role text not null check (role in ('customer', 'admin')),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index users_created_idx on users.users (created_at, id);

create table users.sessions (
  id uuid primary key,
  user_id uuid not null references users.users (id) on delete cascade,
  token_hash text not null unique,
  csrf_hash text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index sessions_user_idx on users.sessions (user_id);

create table users.addresses (
  id uuid primary key,
  user_id uuid not null references users.users (id) on delete cascade,
  name text not null,
  line1 text not null,
  line2 text,
  city text not null,
  postal_code text not null,
  region text,
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  phone text,
  is_default boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index addresses_user_idx on users.addresses (user_id, created_at);
create unique index addresses_one_default_idx on users.addresses (user_id) where is_default;
`,
    },
    {
      // Back-office staff: orders and shipments, without prices, refunds or the audit log.
      id: '002_staff_role',
      sql: `
alter table users.users drop constraint users_role_check;
alter table users.users add constraint users_role_check check (role in ('customer', 'staff', 'admin'));
`,
    },
  ],
};
