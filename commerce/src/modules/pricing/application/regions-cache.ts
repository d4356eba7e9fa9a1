import type { Region } from '../domain/region.ts';

/**
 * Regions are a handful of rows read on every priced request; they are kept for `ttlMs` and read
 * again after. A region edited in the database is seen by every instance within that time;
 * an order always records the region and tax setting it was priced with.
 */
export function regionsCache(read: () => Promise<Region[]>, ttlMs: number, now: () => number = Date.now): { get: () => Promise<Region[]>; clear: () => void } {
  let cached: { at: number; regions: Promise<Region[]> } | null = null;
  return {
    get() {
      if (!cached || now() - cached.at >= ttlMs) {
        const regions = read();
        cached = { at: now(), regions };
        regions.catch(() => (cached = null));
      }
      return cached.regions;
    },
    clear: () => void (cached = null),
  };
}
