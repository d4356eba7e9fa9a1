import type { Database } from './database.ts';

export interface Migration {
  /** Sortable and never renamed once released, e.g. `001_products`. */
  id: string;
  sql: string;
}

/** What a module hands to the runner: its own schema and the migrations that build it. */
export interface ModuleMigrations {
  schema: string;
  migrations: Migration[];
}

const SCHEMA_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Applies pending migrations module by module, each in its own transaction, recording them
 * in `<schema>.schema_migrations` so a module's bookkeeping stays inside its own schema.
 * An advisory lock makes concurrent starts of several instances safe.
 */
export async function migrate(db: Database, modules: ModuleMigrations[]): Promise<string[]> {
  const applied: string[] = [];
  for (const { schema, migrations } of modules) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${schema}`);
    await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`migrate:${schema}`]);
      await tx.query(`create schema if not exists ${schema}`);
      await tx.query(
        `create table if not exists ${schema}.schema_migrations (id text primary key, applied_at timestamptz not null default now())`,
      );
      const done = new Set(
        (await tx.query<{ id: string }>(`select id from ${schema}.schema_migrations`)).rows.map((r) => r.id),
      );
      for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
        if (done.has(migration.id)) continue;
        await tx.exec(migration.sql);
        await tx.query(`insert into ${schema}.schema_migrations (id) values ($1)`, [migration.id]);
        applied.push(`${schema}/${migration.id}`);
      }
    });
  }
  return applied;
}
