import type { ClaimState, DedupStore } from './dedup-store.ts';

/** One tenant's marks, keyed by the messageId itself. */
interface TenantMarks {
  readonly id: string;
  readonly marks: Map<string, Mark>;
}

interface Mark {
  state: 'pending' | 'committed';
  expiresAt: number;
  readonly id: string;
  readonly tenant: TenantMarks;
  /** Out of its tenant's Map (released, lapsed, replaced): its place in the queue is skipped. */
  gone: boolean;
}

/**
 * The embedded default: marks in a Map per tenant keyed by the messageId as sent, so a claim
 * builds no `tenant + id` key (that key's concatenation and hashing was most of this store's
 * cost), and tenants can never be confused whatever their ids hold. One queue across tenants
 * holds the marks in the order they were claimed; beyond `maxEntries` (all tenants together) the
 * oldest go first, and expired marks at the head are dropped as it moves. A commit turns its
 * pending mark into a committed one in place, so the queue is in claim order: for the marks of
 * one append, a few milliseconds from commit order, i.e. close to expiry order. `evicted()`
 * counts live marks dropped for the bound, so a too-small bound shows in metrics instead of
 * silently weakening deduplication.
 */
export function createMemoryDedupStore(options: { maxEntries?: number; now?: () => number } = {}): DedupStore & { evicted(): number; size(): number } {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000_000;
  const tenants = new Map<string, TenantMarks>();
  let queue: Mark[] = [];
  let head = 0;
  let count = 0;
  let evicted = 0;

  const tenantOf = (tenantId: string): TenantMarks => {
    let tenant = tenants.get(tenantId);
    if (!tenant) tenants.set(tenantId, (tenant = { id: tenantId, marks: new Map() }));
    return tenant;
  };
  const add = (tenant: TenantMarks, id: string, state: Mark['state'], expiresAt: number) => {
    const mark: Mark = { state, expiresAt, id, tenant, gone: false };
    tenant.marks.set(id, mark);
    queue.push(mark);
    count++;
  };
  const remove = (mark: Mark) => {
    mark.tenant.marks.delete(mark.id);
    mark.gone = true;
    count--;
  };
  /** Once per call: expired marks at the head go, live ones only while over the bound. */
  const trim = (time: number) => {
    while (head < queue.length) {
      const mark = queue[head]!;
      if (!mark.gone) {
        if (mark.expiresAt > time && count <= maxEntries) break;
        if (mark.expiresAt > time) evicted++;
        remove(mark);
      }
      queue[head++] = undefined as unknown as Mark;
      forgetIfEmpty(mark.tenant);
    }
    // Released and lapsed marks leave holes behind live ones; the queue is rebuilt once they
    // outnumber the live marks, so its length stays within about twice the bound (amortised O(1)).
    if (queue.length - head > 2 * count + 1024 || (head > 1024 && head * 2 > queue.length)) {
      const kept: Mark[] = [];
      for (let i = head; i < queue.length; i++) {
        const mark = queue[i]!;
        if (!mark.gone) kept.push(mark);
        else forgetIfEmpty(mark.tenant);
      }
      queue = kept;
      head = 0;
    }
  };
  const forgetIfEmpty = (tenant: TenantMarks) => {
    if (tenant.marks.size === 0 && tenants.get(tenant.id) === tenant) tenants.delete(tenant.id);
  };

  return {
    async claim(tenantId, messageIds, pendingMs) {
      const time = now();
      const tenant = tenantOf(tenantId);
      const states = messageIds.map((id): ClaimState => {
        const mark = tenant.marks.get(id);
        if (mark !== undefined) {
          if (mark.expiresAt > time) return mark.state;
          remove(mark);
        }
        add(tenant, id, 'pending', time + pendingMs);
        return 'new';
      });
      trim(time);
      return states;
    },
    async commit(tenantId, messageIds, windowMs) {
      const time = now();
      const tenant = tenantOf(tenantId);
      for (const id of messageIds) {
        const mark = tenant.marks.get(id);
        if (mark !== undefined && mark.expiresAt > time) {
          mark.state = 'committed';
          mark.expiresAt = time + windowMs;
          continue;
        }
        if (mark !== undefined) remove(mark);
        add(tenant, id, 'committed', time + windowMs);
      }
      trim(time);
    },
    async release(tenantId, messageIds) {
      const time = now();
      const tenant = tenants.get(tenantId);
      if (!tenant) return;
      for (const id of messageIds) {
        const mark = tenant.marks.get(id);
        if (mark !== undefined && (mark.expiresAt <= time || mark.state === 'pending')) remove(mark);
      }
      trim(time);
    },
    async ping() {},
    async close() {
      tenants.clear();
      queue = [];
      head = 0;
      count = 0;
    },
    evicted: () => evicted,
    size: () => count,
  };
}
