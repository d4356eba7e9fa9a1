/** The catalog module's only entry: its factory, its API for other modules and its DTOs. */
export { createCatalogModule, type CatalogModuleDeps } from './catalog.module.ts';
export type {
  CatalogApi,
  SnapshotFreshness,
  StockLine,
  StockReservationError,
  StockReservationResult,
  VariantSnapshot,
} from './application/catalog-api.ts';
export type {
  AdminProductDetail,
  AdminVariantView,
  Category,
  CategoryFacet,
  CategoryNode,
  CategoryRef,
  CreateCategoryInput,
  CreateProductInput,
  CreateVariantInput,
  OptionFacet,
  ProductDetail,
  ProductListQuery,
  ProductPage,
  ProductSort,
  ProductStatus,
  ProductSummary,
  StockAdjustment,
  StockAdjustmentInput,
  UpdateCategoryInput,
  UpdateProductInput,
  UpdateVariantInput,
  VariantView,
} from './application/catalog.dto.ts';
export type { CatalogPrice, ShopperPrices } from './application/ports/shopper-prices.port.ts';
export { catalogMigrations } from './infrastructure/catalog.migrations.ts';
