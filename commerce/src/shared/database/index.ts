export type { Database, QueryObserver, QueryResult, Sql } from './database.ts';
export { createPgliteDatabase, type PgliteOptions } from './pglite-database.ts';
export { createPgDatabase, type PgDatabaseOptions } from './pg-database.ts';
export { parsePostgresHosts, type PostgresHosts, type TargetSessionAttrs } from './postgres-hosts.ts';
export { migrate, type Migration, type ModuleMigrations } from './migrations.ts';
export { openDatabase } from './open-database.ts';
