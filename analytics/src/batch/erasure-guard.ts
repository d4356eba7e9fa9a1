import type { LakeStore } from './lake-store.ts';

/*
 * The batch's reading of the erasure list that privacy keeps in the lake (ADR-0018):
 *   erasures/tenant=<tenantId>/<requestId>.json
 * Read here, not imported: privacy's recompute calls runBatch, so batch importing privacy would be
 * a cycle. Of a request only `status` and `rewrittenAt` are read: a request is SETTLED once its
 * raw rewrite has finished (`rewrittenAt` is recorded after the last object is written, before
 * the request's own recompute starts; a done request is settled too). Settling never reverts.
 */

/** Each request of one tenant, by key → whether it was settled when listed. */
export type ErasureSnapshot = ReadonlyMap<string, boolean>;

export interface ErasureList {
  snapshot(tenantId: string): Promise<ErasureSnapshot>;
}

/** One LIST per snapshot; a request already seen settled is not read again. */
export function erasureList(lake: LakeStore): ErasureList {
  const settled = new Set<string>();
  return {
    async snapshot(tenantId) {
      const out = new Map<string, boolean>();
      for (const key of await lake.list(`erasures/tenant=${encodeURIComponent(tenantId)}/`)) {
        if (!key.endsWith('.json')) continue;
        if (!settled.has(key) && isSettled(await lake.get(key))) settled.add(key);
        out.set(key, settled.has(key));
      }
      return out;
    },
  };
}

// An unreadable request counts as not settled: nothing then proves its rewrite happened.
function isSettled(bytes: Uint8Array | null): boolean {
  if (!bytes) return false;
  try {
    const request = JSON.parse(Buffer.from(bytes).toString('utf8')) as { status?: unknown; rewrittenAt?: unknown };
    return request.status === 'done' || typeof request.rewrittenAt === 'string';
  } catch {
    return false;
  }
}

/**
 * Whether a view computed from raw objects read after `before` may hold a person erased since:
 * true when a request is settled in `after` that was not settled (or not there) in `before`. Its
 * rewrite may have finished after the read, and its own recompute may already have passed this
 * day. A request not settled in `after` is harmless: its recompute starts after its rewrite, so
 * after `after` was listed, and it finds this view (published before `after`) and recomputes it.
 */
export function settledSince(before: ErasureSnapshot, after: ErasureSnapshot): boolean {
  for (const [key, settled] of after) if (settled && before.get(key) !== true) return true;
  return false;
}
