import type { AnalyticsEvent } from '../contracts/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { listErasureRequests, type ErasureRequest } from './erasure-request.ts';
import { identityDigest, type ErasedIdentity, type IdentityKind } from './identity-digest.ts';

/** Decides whether an event belongs to an erased person; called for every event a consumer sees. */
export interface ErasureMatcher {
  /** A bound function: pass it as is (`exclude: matcher.isErased`). */
  isErased: (event: AnalyticsEvent) => boolean;
  /** Identities known (all tenants). */
  readonly size: number;
}

// Digests already computed, per (tenant, kind, id): ids repeat a lot (a user's every event).
const MEMO_LIMIT = 50_000;

/**
 * A matcher over the identities of `requests` (pending ones too: a person is excluded from the
 * moment the request is recorded). An event is erased when its tenant has erasures and its
 * userId, anonymousId, or (alias events) previousId hashes to one of them; previousId may be an
 * anonymous or a user id, so it is checked as both. Events of tenants without any erasure cost
 * one map lookup.
 */
export function createErasureMatcher(requests: readonly Pick<ErasureRequest, 'tenantId' | 'identities'>[]): ErasureMatcher {
  const byTenant = new Map<string, { user: Set<string>; anonymous: Set<string> }>();
  let size = 0;
  const add = (tenantId: string, identity: ErasedIdentity) => {
    let sets = byTenant.get(tenantId);
    if (!sets) byTenant.set(tenantId, (sets = { user: new Set(), anonymous: new Set() }));
    if (!sets[identity.kind].has(identity.digest)) size++;
    sets[identity.kind].add(identity.digest);
  };
  for (const request of requests) for (const identity of request.identities) add(request.tenantId, identity);

  // Per tenant and kind: id -> erased. Nested maps, so a lookup hashes only the id.
  const memo = new Map<string, { user: Map<string, boolean>; anonymous: Map<string, boolean> }>();
  let memoSize = 0;
  const erased = (tenantId: string, sets: { user: Set<string>; anonymous: Set<string> }, kind: IdentityKind, id: unknown): boolean => {
    if (typeof id !== 'string' || id === '') return false;
    let known = memo.get(tenantId);
    if (!known) memo.set(tenantId, (known = { user: new Map(), anonymous: new Map() }));
    let hit = known[kind].get(id);
    if (hit === undefined) {
      hit = sets[kind].has(identityDigest(tenantId, kind, id));
      if (memoSize >= MEMO_LIMIT) {
        memo.clear();
        memoSize = 0;
        memo.set(tenantId, known = { user: new Map(), anonymous: new Map() });
      }
      known[kind].set(id, hit);
      memoSize++;
    }
    return hit;
  };

  return {
    size,
    isErased: (event) => {
      const sets = byTenant.get(event.tenantId);
      if (!sets) return false;
      const t = event.tenantId;
      return (
        erased(t, sets, 'user', event.userId) ||
        erased(t, sets, 'anonymous', event.anonymousId) ||
        (event.type === 'alias' && (erased(t, sets, 'user', event.previousId) || erased(t, sets, 'anonymous', event.previousId)))
      );
    },
  };
}

/**
 * The matcher of every recorded erasure (of one tenant, or all), read once. Long-running
 * consumers use `watchErasures`, which keeps it current.
 *
 * @example
 * const matcher = await loadErasures(store, 'acme');
 * const kept = events.filter((e) => !matcher.isErased(e));
 */
export async function loadErasures(store: ObjectStore, tenantId?: string): Promise<ErasureMatcher> {
  return createErasureMatcher(await listErasureRequests(store, tenantId));
}
