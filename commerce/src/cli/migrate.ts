import { ConfigError } from '@shop/platform';
import { commerceMigrations } from '../composition/migrations.ts';
import { loadCommerceConfig } from '../config.ts';
import { migrate, openDatabase } from '../shared/database/index.ts';

/**
 * `npm run migrate`: applies every pending migration of the commerce schemas to the database
 * the app's environment names (DATABASE_URL, else PGlite under DATA_DIR), then exits. The app
 * also migrates at start; this lets a deployment migrate once before rolling out instances.
 * Exit codes: 0 done, 1 failed, 2 invalid configuration.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadCommerceConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite`, poolSize: 1 });
  try {
    const applied = await migrate(db, commerceMigrations(config));
    console.log(applied.length ? `applied ${applied.length} migrations:\n  ${applied.join('\n  ')}` : 'nothing to apply: every migration is in place');
    return 0;
  } catch (error) {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
