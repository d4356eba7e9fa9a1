/**
 * Erasing a person on the lake side: identity expansion over the raw store, the raw rewrite, the
 * batch recompute of the affected days, `erasePerson` (which runs them in order), the runner that
 * resumes pending requests, and the admin routes. Loads the batch layer (DuckDB).
 */
export { recomputeViews, type RecomputeViewsOptions, type RecomputeViewsResult } from './batch-recompute.ts';
export { erasePerson, resumeErasure, type ErasePersonOptions, type ErasePersonResult, type ResumeErasureOptions } from './erase-person.ts';
export { expandIdentities, type ExpandedIdentities, type ExpandIdentitiesOptions } from './identity-expansion.ts';
export { eraseFromRawStore, type RawObjectChange, type RawRewriteOptions, type RawRewriteReport } from './raw-rewrite.ts';
export { startErasureRunner, type ErasureRunner, type ErasureRunnerOptions } from './erasure-runner.ts';
export { registerErasureRoutes, type ErasureRoutesDeps } from './erasure-routes.ts';
