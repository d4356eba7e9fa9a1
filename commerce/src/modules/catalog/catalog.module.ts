import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { ObjectStore } from '@shop/platform/object-store';
import { noAuditTrail, type AuditTrail } from '../../shared/audit/audit-trail.ts';
import type { Database, Sql } from '../../shared/database/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { catalogRoutes } from './api/catalog.routes.ts';
import type { CatalogApi } from './application/catalog-api.ts';
import { cachedListing, clearingOnWrite } from './application/cache-decorators.ts';
import type { CatalogContext } from './application/catalog.context.ts';
import { moveStock } from './application/move-stock.ts';
import { getRecentVariants, getVariants } from './application/get-variants.ts';
import { releaseStock } from './application/release-stock.ts';
import { clearedTogether, createReadCache, type ReadCache } from './application/read-cache.ts';
import { reserveStock } from './application/reserve-stock.ts';
import type { ShopperPrices } from './application/ports/shopper-prices.port.ts';
import { catalogMigrations } from './infrastructure/catalog.migrations.ts';
import { categoryRepository } from './infrastructure/category.repository.ts';
import { constraintViolationMapper } from './infrastructure/database-errors.ts';
import { seedDemoCatalog } from './infrastructure/demo-catalog.seeder.ts';
import { memoryImageStore } from './infrastructure/memory-image-store.ts';
import { lowStockQuery } from './infrastructure/low-stock.query.ts';
import { productDetailQuery } from './infrastructure/product-detail.query.ts';
import { productListingQuery } from './infrastructure/product-listing.query.ts';
import { productRepository } from './infrastructure/product.repository.ts';
import { stockAdjustmentRepository } from './infrastructure/stock-adjustment.repository.ts';
import { stockReservationRepository } from './infrastructure/stock-reservation.repository.ts';
import { variantSnapshotQuery } from './infrastructure/variant-snapshot.query.ts';
import { variantRepository } from './infrastructure/variant.repository.ts';

export interface CatalogModuleDeps {
  db: Database;
  /** Shoppers' reads (listings, details, categories) go here, e.g. a streaming standby; unset: `db`. Staff reads always use `db`. */
  shopperReads?: Sql;
  auth: Authenticator;
  /** Where product, variant, stock and category changes are recorded; nothing is recorded without one (module tests). */
  audit?: AuditTrail;
  /** Where uploaded product images are kept; in memory without one (module tests). */
  images?: ObjectStore;
  logger: Logger;
  /** Load the demo catalog at start when the catalog is empty. */
  seedDemoData?: boolean;
  /**
   * Shopper reads that show stock counts (product pages, the cart's variant snapshots) are cached this
   * long (ms); 0 or unset: no cache. See `read-cache.ts`.
   */
  readCacheTtlMs?: number;
  /** Shopper reads that show at most whether a product is in stock (listings) are kept this long unless a notice clears them first. */
  readCacheMaxAgeMs?: number;
  /** Shopper reads priced in the shopper's region (the pricing module's API); unset: catalog prices. */
  prices?: ShopperPrices;
  /** Pinned in tests; the system clock and random uuids otherwise. */
  now?: () => Date;
  newId?: () => string;
}

/**
 * Products, variants, categories and stock, in the `catalog` schema.
 *
 * @example
 * const catalog = createCatalogModule({ db, auth, logger, seedDemoData: true });
 * await migrate(db, [catalog.migrations]);
 * await server.register((api) => catalog.routes(api), { prefix: '/api' });
 * await catalog.start();
 */
export function createCatalogModule(
  deps: CatalogModuleDeps,
): CommerceModule<CatalogApi> & Required<Pick<CommerceModule<CatalogApi>, 'migrations' | 'routes' | 'start'>> {
  const lifetimes = { ttlMs: deps.readCacheTtlMs ?? 0, maxAgeMs: deps.readCacheMaxAgeMs };
  // Variant snapshots apart, with a bound of their own: carts of many variants would otherwise
  // fill the pages' bound and empty it (it is cleared wholesale when full).
  const snapshots = deps.readCacheTtlMs ? createReadCache({ ...lifetimes, maxEntries: 20_000 }) : undefined;
  const cache = snapshots ? clearedTogether(createReadCache(lifetimes), snapshots) : undefined;
  // Names this instance's change notices, which it has acted on already at commit.
  const instance = randomUUID();
  const ctx = catalogContext(deps.db, deps, cache && { cache, instance });
  if (snapshots) ctx.snapshotCache = snapshots;
  if (deps.shopperReads) ctx.shopperReads = deps.shopperReads;
  if (deps.prices) ctx.prices = deps.prices;
  let unlisten: (() => Promise<void>) | undefined;
  return {
    name: 'catalog',
    api: {
      getVariants: (ids, freshness) => (freshness === 'recent' ? getRecentVariants(ctx, ids) : getVariants(ctx, ids)),
      reserveStock: (tx, lines) => reserveStock(ctx, tx, lines),
      releaseStock: (tx, lines) => releaseStock(ctx, tx, lines),
      commitStock: (tx, lines, audit) => moveStock(ctx, tx, lines, audit, 'ship'),
      restockReturned: (tx, lines, audit) => moveStock(ctx, tx, lines, audit, 'restock'),
    },
    migrations: catalogMigrations,
    routes: (app) => catalogRoutes(app, ctx, deps.auth),
    async start() {
      if (cache) {
        // A notice comes from the primary at commit; a standby may replay the commit later, and a read
        // reloaded from it meanwhile would be kept until the entry's age runs out: clear once more then.
        const clear = () => {
          cache.clear();
          if (deps.shopperReads) setTimeout(() => cache.clear(), STANDBY_SETTLE_MS).unref();
        };
        // Other instances' catalog writes clear this instance's cache at their commit.
        const writes = await deps.db.listen(CATALOG_CHANGED_CHANNEL, (from) => from !== instance && clear());
        // A variant's stock state changed, by whichever instance (the trigger cannot tell): notices
        // are rare (the last few units sold, an empty variant restocked), so the whole cache goes.
        const stock = await deps.db.listen(STOCK_STATE_CHANNEL, clear);
        unlisten = async () => {
          await writes();
          await stock();
        };
      }
      if (!deps.seedDemoData) return;
      const { seeded, products } = await seedDemoCatalog(ctx);
      if (seeded) deps.logger.info({ products }, 'demo catalog loaded');
    },
    async stop() {
      await unlisten?.();
      unlisten = undefined;
    },
  };
}

const CATALOG_CHANGED_CHANNEL = 'catalog_changed';
/** Sent by the `variants_stock_state` trigger (catalog migration 005). */
const STOCK_STATE_CHANNEL = 'catalog_stock_state';
/** How long after a notice a standby is expected to have replayed the commit it announces. */
const STANDBY_SETTLE_MS = 1_000;

/** One NOTIFY per writing transaction (PostgreSQL delivers it at commit, or never on rollback). */
function announcer(instance: string): (sql: Sql) => Promise<void> {
  const announced = new WeakSet<Sql>();
  return async (sql) => {
    if (announced.has(sql)) return;
    announced.add(sql);
    await sql.query(`select pg_notify($1, $2)`, [CATALOG_CHANGED_CHANNEL, instance]);
  };
}

/** The use cases' context over PostgreSQL/PGlite: every port wired to its adapter. */
export function catalogContext(
  db: Database,
  options: { now?: () => Date; newId?: () => string; audit?: AuditTrail; images?: ObjectStore } = {},
  shared?: { cache: ReadCache; instance: string },
): CatalogContext {
  const cache = shared?.cache;
  const announce = announcer(shared?.instance ?? '');
  // A distinct object even over the same database: see `CatalogContext.shopperReads`.
  const shopperReads: Sql = { query: (text, params) => db.query(text, params), exec: (script) => db.exec(script) };
  const clearing = <R extends object>(repository: R, readers: ReadonlyArray<keyof R>): R =>
    cache ? clearingOnWrite(repository, readers, cache, announce) : repository;
  const context: CatalogContext = {
    db,
    shopperReads,
    readCache: cache,
    categories: clearing(categoryRepository, ['findCategory', 'listCategories', 'categoryUsage', 'categoryTrail']),
    products: clearing(productRepository, ['findProduct']),
    variants: clearing(variantRepository, ['findVariant', 'productHasReservations', 'variantsOfProduct']),
    stockAdjustments: clearing(stockAdjustmentRepository, ['listAdjustments']),
    // Stock moved by orders leaves the cache alone: a change of in-stock state is announced by the
    // database itself (trigger, NOTIFY at commit), and entries with counts expire after the TTL.
    stockReservations: stockReservationRepository,
    productDetails: productDetailQuery,
    productListing: cache ? cachedListing(productListingQuery, () => context.shopperReads, cache) : productListingQuery,
    variantSnapshots: variantSnapshotQuery,
    lowStock: lowStockQuery,
    images: options.images ?? memoryImageStore(),
    constraints: constraintViolationMapper,
    audit: options.audit ?? noAuditTrail,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
  };
  return context;
}
