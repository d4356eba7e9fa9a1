// The one place the cart names the catalog: types only, from the catalog's public entry.
export type { CatalogApi, SnapshotFreshness, VariantSnapshot } from '../../../catalog/index.ts';
