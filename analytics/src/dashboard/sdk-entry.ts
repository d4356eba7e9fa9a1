/** The page's copy of the typed SDK: bundled by esbuild at start and served as /dashboard/assets/sdk.js. */
export { createAnalyticsClient } from '@shop/sdk/analytics';
