/**
 * The analytics console (`/console`: server-rendered pages over the admin API for tenants, keys,
 * usage and erasures) and the admin API's usage report (`/admin/usage`).
 */
export { registerConsoleRoutes, type ConsoleRoutesOptions } from './console-routes.ts';
export { createUsageReader, type TenantUsage, type UsageDeps, type UsageReader } from './tenant-usage.ts';
export { registerUsageRoutes } from './usage-routes.ts';
/** The cross-site form check the console applies; the dashboard's key forms apply it too. */
export { crossSite, refuseCrossSite } from './console-requests.ts';
