import type { ApiKeyRecord } from './api-key.ts';
import type { Tenant } from './tenant.ts';

export interface CachedKey {
  key: ApiKeyRecord;
  tenant: Tenant;
}

/**
 * Key hash -> (key, tenant), kept for `ttlMs` because every ingest request checks a key.
 * Unknown keys are cached too (as null), so a client hammering with a bad key costs one
 * store read per TTL, not one per request. The price: a revocation made by another process
 * takes up to `ttlMs` to bite; revocations through this process evict at once.
 * Bounded: the oldest entry is dropped beyond `maxEntries` (Map keeps insertion order).
 */
export function createKeyCache(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: CachedKey | null; expiresAt: number }>();
  return {
    /** `undefined` when not cached (or expired); `null` when cached as unknown. */
    get(hash: string): CachedKey | null | undefined {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(hash);
        return undefined;
      }
      return entry.value;
    },
    set(hash: string, value: CachedKey | null): void {
      entries.delete(hash);
      entries.set(hash, { value, expiresAt: now() + options.ttlMs });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    delete(hash: string): void {
      entries.delete(hash);
    },
    clear(): void {
      entries.clear();
    },
  };
}
