// The one place the cart names the catalog: types only, from the catalog's public API.
export type { CatalogApi, VariantSnapshot } from '../../catalog/application/catalog-api.ts';
