export { registerQueryRoutes, type QueryRoutes, type QueryRoutesOptions } from './query-routes.ts';
export type { QueryTenant, ReadKeyResolver } from './read-key.ts';
export { assembleResult, runQuery, type MetricQuery, type MetricResult, type SeriesPoint } from './run-query.ts';
export { seriesBuckets, type Granularity, type SeriesBucket } from './series-buckets.ts';
