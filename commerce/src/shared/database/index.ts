export type { Database, QueryObserver, QueryResult, Sql } from './database.ts';
export { createPgliteDatabase } from './pglite-database.ts';
export { createPgDatabase } from './pg-database.ts';
export { migrate, type Migration, type ModuleMigrations } from './migrations.ts';
export { openDatabase } from './open-database.ts';
