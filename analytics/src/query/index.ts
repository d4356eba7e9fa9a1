/**
 * The read API over HTTP: metric queries (answered by the serving layer) and the reconciliation
 * drift report, both behind a tenant's read key.
 */
export { registerQueryRoutes, type QueryRoutes, type QueryRoutesOptions } from './query-routes.ts';
export type { QueryTenant, ReadKeyResolver } from './read-key.ts';
export { registerReconciliationRoutes, type ReconciliationRoutesOptions } from './reconciliation-routes.ts';
export { registerProductRoutes, type ProductRoutesOptions } from './product-routes.ts';
