import { catalogContext } from '../../../src/modules/catalog/catalog.module.ts';
import { createLogger } from '@shop/platform';
import { migrate, type Database, type QueryObserver } from '../../../src/shared/database/index.ts';
import { createCatalogModule } from '../../../src/modules/catalog/index.ts';
import { createPricingModule } from '../../../src/modules/pricing/index.ts';
import type { DatabaseEngine } from '../../support/databases.ts';
import { createTestAuthenticator } from '../../support/test-authenticator.ts';

export interface CatalogFixture {
  db: Database;
  /** Connection URL (real PostgreSQL only), for a second instance on the same database. */
  url?: string;
  catalog: ReturnType<typeof createCatalogModule>;
  /** With `regions`: the pricing module (demo regions eu, us, jp) pricing shopper reads, as in the app. */
  pricing?: ReturnType<typeof createPricingModule>;
  /** Statements seen since the last `resetObserved()`. */
  observed: string[];
  resetObserved: () => void;
  cleanup: () => Promise<void>;
}

export const quietLogger = createLogger('catalog-test', 'silent');

/** A migrated catalog on a fresh database (no shopper read cache unless `readCacheTtlMs`) of `engine`, optionally with the demo data. */
export async function openCatalog(engine: DatabaseEngine, options: { seedDemoData?: boolean; readCacheTtlMs?: number; regions?: boolean } = {}): Promise<CatalogFixture> {
  const observed: string[] = [];
  const observe: QueryObserver = (text) => void observed.push(text);
  const { db, url, cleanup } = await engine.open(observe);
  const auth = createTestAuthenticator();
  const pricing = options.regions ? createPricingModule({ db, auth, logger: quietLogger, seedDemoData: true }) : undefined;
  const catalog = createCatalogModule({
    db,
    auth,
    ...(pricing ? { prices: pricing.api } : {}),
    logger: quietLogger,
    seedDemoData: options.seedDemoData ?? false,
    readCacheTtlMs: options.readCacheTtlMs,
  });
  await migrate(db, [catalog.migrations, ...(pricing ? [pricing.migrations] : [])]);
  await catalog.start();
  await pricing?.start();
  return { db, url, catalog, ...(pricing ? { pricing } : {}), observed, resetObserved: () => void observed.splice(0), cleanup };
}

/** The context use cases take, on the fixture's database. */
export const contextOf = (db: Database) => catalogContext(db);

/** The back-office user use cases record as the actor. */
export const actor = (userId = 'admin-1') => ({ userId, role: 'admin' });
