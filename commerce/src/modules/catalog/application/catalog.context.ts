import type { AuditTrail } from '../../../shared/audit/audit-trail.ts';
import type { Database, Sql } from '../../../shared/database/database.ts';
import type { ReadCache } from './read-cache.ts';
import type { ShopperPrices } from './ports/shopper-prices.port.ts';
import type { CategoryRepository } from './ports/category.repository.ts';
import type { ConstraintViolationMapper } from './ports/constraint-violations.port.ts';
import type { ProductDetailQuery } from './ports/product-detail.query.ts';
import type { ImageStore } from './ports/image-store.port.ts';
import type { LowStockQuery } from './ports/low-stock.query.ts';
import type { ProductListingQuery } from './ports/product-listing.query.ts';
import type { ProductRepository } from './ports/product.repository.ts';
import type { StockAdjustmentRepository } from './ports/stock-adjustment.repository.ts';
import type { StockReservationRepository } from './ports/stock-reservation.repository.ts';
import type { VariantSnapshotQuery } from './ports/variant-snapshot.query.ts';
import type { VariantRepository } from './ports/variant.repository.ts';

/** What every use case needs; clock and ids are passed in so tests can pin them. */
export interface CatalogContext {
  db: Database;
  /**
   * Where anonymous shoppers' and customers' catalog reads go: a standby when one is configured
   * (it may lag), else the same database as `db` behind a distinct object, so that a read passed
   * `db` is known to want the primary and no cache (staff reading their own writes).
   */
  shopperReads: Sql;
  /** Shopper reads cached in this process; absent: every read goes to the database. */
  readCache?: ReadCache;
  /** The cart's recent variant snapshots, cleared with `readCache`; absent: `readCache` holds them. */
  snapshotCache?: ReadCache;
  categories: CategoryRepository;
  products: ProductRepository;
  variants: VariantRepository;
  stockAdjustments: StockAdjustmentRepository;
  stockReservations: StockReservationRepository;
  productDetails: ProductDetailQuery;
  productListing: ProductListingQuery;
  variantSnapshots: VariantSnapshotQuery;
  lowStock: LowStockQuery;
  /** Shopper reads priced in the shopper's region; absent: catalog prices. */
  prices?: ShopperPrices;
  /** Uploaded product images (the object store). */
  images: ImageStore;
  constraints: ConstraintViolationMapper;
  /** Every back-office change is recorded here, in the change's own transaction. */
  audit: AuditTrail;
  now: () => Date;
  newId: () => string;
}
