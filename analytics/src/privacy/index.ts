/**
 * The erasure list (GDPR art. 17; digests only) and the matcher every consumer filters with. Light
 * on purpose: the speed layer and the archiver load it, so nothing here reaches the batch layer or
 * DuckDB. Erasing a person (expansion, raw rewrite, recompute) is `erasure/`.
 */
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
export { readErasureRequestAt } from './erasure-request.ts';
export { sortIdentities } from './identity-digest.ts';
