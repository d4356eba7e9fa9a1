import type { ModuleMigrations } from '../../../shared/database/index.ts';

/** The `audit` schema: append-only; other modules write through the AuditTrail in their own transaction. */
export const auditMigrations: ModuleMigrations = {
  schema: 'audit',
  migrations: [
    {
      id: '001_entries',
      sql: `
create table audit.entries (
  id uuid primary key,
  actor_id text not null,
  actor_role text not null,
  action text not null,
  subject_type text not null,
  subject_id text not null,
  summary text not null default '',
  before jsonb,
  after jsonb,
  created_at timestamptz not null
);
create index entries_time_idx on audit.entries (created_at desc, id desc);
create index entries_subject_idx on audit.entries (subject_type, subject_id, created_at desc);
create index entries_actor_idx on audit.entries (actor_id, created_at desc);
`,
    },
  ],
};
