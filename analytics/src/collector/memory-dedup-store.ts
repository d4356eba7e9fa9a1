import type { ClaimState, DedupStore } from './dedup-store.ts';

interface Mark {
  state: 'pending' | 'committed';
  expiresAt: number;
}

/**
 * The embedded default: a Map bounded to `maxEntries`. Beyond the bound the marks that
 * expire soonest go first (entries are re-inserted on every change, so the Map's order is
 * close to expiry order); `evicted()` counts them so a too-small bound shows in metrics
 * instead of silently weakening deduplication.
 */
export function createMemoryDedupStore(options: { maxEntries?: number; now?: () => number } = {}): DedupStore & { evicted(): number; size(): number } {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000_000;
  const marks = new Map<string, Mark>();
  let evicted = 0;
  const keyOf = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;
  const live = (key: string): Mark | undefined => {
    const mark = marks.get(key);
    if (mark && mark.expiresAt <= now()) {
      marks.delete(key);
      return undefined;
    }
    return mark;
  };
  const put = (key: string, mark: Mark) => {
    marks.delete(key);
    marks.set(key, mark);
    // Expired marks at the head go first; live ones only when still over the bound.
    for (const [oldest, value] of marks) {
      if (value.expiresAt > now() && marks.size <= maxEntries) break;
      marks.delete(oldest);
      if (value.expiresAt > now()) evicted++;
    }
  };

  return {
    async claim(tenantId, messageIds, pendingMs) {
      return messageIds.map((id): ClaimState => {
        const key = keyOf(tenantId, id);
        const mark = live(key);
        if (mark) return mark.state;
        put(key, { state: 'pending', expiresAt: now() + pendingMs });
        return 'new';
      });
    },
    async commit(tenantId, messageIds, windowMs) {
      for (const id of messageIds) put(keyOf(tenantId, id), { state: 'committed', expiresAt: now() + windowMs });
    },
    async release(tenantId, messageIds) {
      for (const id of messageIds) {
        const key = keyOf(tenantId, id);
        if (live(key)?.state === 'pending') marks.delete(key);
      }
    },
    async ping() {},
    async close() {
      marks.clear();
    },
    evicted: () => evicted,
    size: () => marks.size,
  };
}
