import type { ClaimState, DedupStore } from './dedup-store.ts';

/** One tenant's marks: the messageId as sent, to its slot's number in the queue. */
interface TenantMarks {
  readonly id: string;
  readonly marks: Map<string, number>;
}

const PENDING = 0;
const COMMITTED = 1;

/**
 * The embedded default: marks in a Map per tenant keyed by the messageId as sent, so a claim
 * builds no `tenant + id` key, and tenants can never be confused whatever their ids hold. One
 * queue across tenants holds the marks in the order they were claimed; beyond `maxEntries` (all
 * tenants together) the oldest go first, and expired marks at the head are dropped as it moves.
 *
 * The queue is a set of parallel arrays (id, tenant, state, expiry, gone) indexed by slot, and a
 * tenant's Map holds the slot's number: a mark is no object of its own. Marks live a day, so each
 * would otherwise be one more object copied by every young-generation collection until promoted,
 * then traced by every full one. A commit turns its pending mark into a committed one in place,
 * so the queue is in claim order: for the marks of one append, a few milliseconds from commit
 * order, i.e. close to expiry order. `evicted()` counts live marks dropped for the bound, so a
 * too-small bound shows in metrics instead of silently weakening deduplication.
 */
export function createMemoryDedupStore(options: { maxEntries?: number; now?: () => number } = {}): DedupStore & { evicted(): number; size(): number } {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000_000;
  const tenants = new Map<string, TenantMarks>();
  // Slot s is at index s - base; those before head are consumed.
  let ids: string[] = [];
  let owners: TenantMarks[] = [];
  let states: number[] = [];
  let expiries: number[] = [];
  /** 1 once the slot's mark left its tenant's Map (released, lapsed, replaced): skipped at the head. */
  let gone: number[] = [];
  let base = 0;
  let head = 0;
  let count = 0;
  let evicted = 0;

  const tenantOf = (tenantId: string): TenantMarks => {
    let tenant = tenants.get(tenantId);
    if (!tenant) tenants.set(tenantId, (tenant = { id: tenantId, marks: new Map() }));
    return tenant;
  };
  const add = (tenant: TenantMarks, id: string, state: number, expiresAt: number) => {
    tenant.marks.set(id, base + ids.length);
    ids.push(id);
    owners.push(tenant);
    states.push(state);
    expiries.push(expiresAt);
    gone.push(0);
    count++;
  };
  const remove = (tenant: TenantMarks, id: string, slot: number) => {
    tenant.marks.delete(id);
    gone[slot - base] = 1;
    count--;
  };
  const forgetIfEmpty = (tenant: TenantMarks) => {
    if (tenant.marks.size === 0 && tenants.get(tenant.id) === tenant) tenants.delete(tenant.id);
  };
  /** Keeps the slots from `from` on that `keep` accepts, renumbering them from `base` (Map values follow). */
  const rebuild = (from: number, keep: (i: number) => boolean) => {
    const next = { ids: [] as string[], owners: [] as TenantMarks[], states: [] as number[], expiries: [] as number[], gone: [] as number[] };
    for (let i = from; i < ids.length; i++) {
      if (!keep(i)) continue;
      const tenant = owners[i]!;
      if (gone[i] === 0) tenant.marks.set(ids[i]!, base + next.ids.length);
      next.ids.push(ids[i]!);
      next.owners.push(tenant);
      next.states.push(states[i]!);
      next.expiries.push(expiries[i]!);
      next.gone.push(gone[i]!);
    }
    ({ ids, owners, states, expiries, gone } = next);
    head = 0;
  };
  /** Once per call: expired marks at the head go, live ones only while over the bound. */
  const trim = (time: number) => {
    while (head < ids.length) {
      const tenant = owners[head]!;
      if (gone[head] === 0) {
        if (expiries[head]! > time && count <= maxEntries) break;
        if (expiries[head]! > time) evicted++;
        remove(tenant, ids[head]!, base + head);
      }
      ids[head] = undefined as unknown as string;
      owners[head] = undefined as unknown as TenantMarks;
      head++;
      forgetIfEmpty(tenant);
    }
    // Released and lapsed marks leave holes behind live ones; the queue is rebuilt without them once
    // they outnumber the live marks, and the consumed head is cut off once it is half the queue, so
    // the arrays stay within about twice the live marks (amortised O(1)).
    if (ids.length - head > 2 * count + 1024) {
      for (let i = head; i < ids.length; i++) if (gone[i] === 1) forgetIfEmpty(owners[i]!);
      base += head;
      rebuild(head, (i) => gone[i] === 0);
    } else if (head > 1024 && head * 2 > ids.length) {
      const consumed = head;
      // Slot numbers are unchanged: base moves by what is cut.
      ids = ids.slice(consumed);
      owners = owners.slice(consumed);
      states = states.slice(consumed);
      expiries = expiries.slice(consumed);
      gone = gone.slice(consumed);
      base += consumed;
      head = 0;
    }
  };

  return {
    async claim(tenantId, messageIds, pendingMs) {
      const time = now();
      const tenant = tenantOf(tenantId);
      const out = messageIds.map((id): ClaimState => {
        const slot = tenant.marks.get(id);
        if (slot !== undefined) {
          const i = slot - base;
          if (expiries[i]! > time) return states[i] === COMMITTED ? 'committed' : 'pending';
          remove(tenant, id, slot);
        }
        add(tenant, id, PENDING, time + pendingMs);
        return 'new';
      });
      trim(time);
      return out;
    },
    async commit(tenantId, messageIds, windowMs) {
      const time = now();
      const tenant = tenantOf(tenantId);
      for (const id of messageIds) {
        const slot = tenant.marks.get(id);
        if (slot !== undefined && expiries[slot - base]! > time) {
          states[slot - base] = COMMITTED;
          expiries[slot - base] = time + windowMs;
          continue;
        }
        if (slot !== undefined) remove(tenant, id, slot);
        add(tenant, id, COMMITTED, time + windowMs);
      }
      trim(time);
    },
    async release(tenantId, messageIds) {
      const time = now();
      const tenant = tenants.get(tenantId);
      if (!tenant) return;
      for (const id of messageIds) {
        const slot = tenant.marks.get(id);
        if (slot !== undefined && (expiries[slot - base]! <= time || states[slot - base] === PENDING)) remove(tenant, id, slot);
      }
      trim(time);
    },
    async ping() {},
    async close() {
      tenants.clear();
      ids = [];
      owners = [];
      states = [];
      expiries = [];
      gone = [];
      base = 0;
      head = 0;
      count = 0;
    },
    evicted: () => evicted,
    size: () => count,
  };
}
