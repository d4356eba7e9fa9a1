/**
 * Erasure of a person (GDPR art. 17) on the lake side: the erasure list (digests only) and the
 * matcher every consumer filters with, identity expansion over the raw store, the raw rewrite,
 * the batch recompute of the affected days, and `erasePerson`, which runs them in order.
 */
export { recomputeViews, type RecomputeViewsOptions, type RecomputeViewsResult } from './batch-recompute.ts';
export { erasePerson, resumeErasure, type ErasePersonOptions, type ErasePersonResult, type ResumeErasureOptions } from './erase-person.ts';
export { createErasureMatcher, loadErasures, type ErasureMatcher } from './erasure-matcher.ts';
export {
  ERASURES_PREFIX,
  ErasureRequestCorruptError,
  erasureKey,
  erasureRequestId,
  listErasureRequests,
  readErasureRequest,
  recordErasure,
  saveErasureRequest,
  type ErasureCounts,
  type ErasureRequest,
  type ErasureStatus,
} from './erasure-request.ts';
export { watchErasures, type ErasureWatcher, type WatchErasuresOptions } from './erasure-watcher.ts';
export { erasedIdentities, identityDigest, type ErasedIdentity, type IdentityKind } from './identity-digest.ts';
export { expandIdentities, type ExpandedIdentities, type ExpandIdentitiesOptions } from './identity-expansion.ts';
export { eraseFromRawStore, type RawObjectChange, type RawRewriteOptions, type RawRewriteReport } from './raw-rewrite.ts';
export { startErasureRunner, type ErasureRunner, type ErasureRunnerOptions } from './erasure-runner.ts';
export { registerErasureRoutes, type ErasureRoutesDeps } from './erasure-routes.ts';
