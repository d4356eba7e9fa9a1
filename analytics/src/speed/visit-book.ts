import { DEFAULT_VISIT_TIMEOUT_MS, type OpenVisit } from '../contracts/index.ts';

/** A tenant's visit timeout in ms: its own setting, else 30 minutes. */
export type VisitTimeout = (tenantId: string) => number;
export const defaultVisitTimeout: VisitTimeout = () => DEFAULT_VISIT_TIMEOUT_MS;

const SWEEP_EVERY_MS = 60_000;
/**
 * How much later than its visit's previous event an event may arrive and still be folded into
 * that visit. The rule looks only at the two records' receipt times, so a visit is continued or
 * not the same way however the records are split into flushes, replays and rebuilds.
 */
export const VISIT_ARRIVAL_GRACE_MS = 5 * 60_000;
/** Sweeping waits this much longer again: collectors' clocks may differ a little. */
const SWEEP_MARGIN_MS = 10 * 60_000;

/** An open visit and when the last of its events was received. */
export interface BookEntry {
  visit: OpenVisit;
  received: number;
}

/** Visits by tenant, then visitor: lookups take the strings the event holds, no key is built per event. */
export type VisitsByTenant = Map<string, Map<string, BookEntry>>;

/**
 * One partition's open visits (by tenant and visitor), as of the last flush the store accepted.
 * A buffer reads through it and stages its own changes; they are committed only once the flush
 * is applied, so a refused flush (`conflict`) re-reads its records against the visits as they
 * were. In memory only: after a restart a visit that goes on is counted as a new one until the
 * batch recomputes its day (reconciliation shows the difference meanwhile; ADR-0074).
 */
export class VisitBook {
  private readonly open: VisitsByTenant = new Map();
  private latest = 0;
  private swept = 0;

  constructor(private readonly timeout: VisitTimeout = defaultVisitTimeout) {}

  get(tenantId: string, visitor: string): BookEntry | undefined {
    return this.open.get(tenantId)?.get(visitor);
  }

  /** The entry's visit if an event received at `received` may still continue it. */
  static usable(entry: BookEntry | undefined, received: number, timeoutMs: number): OpenVisit | undefined {
    return entry && received - entry.received <= timeoutMs + VISIT_ARRIVAL_GRACE_MS ? entry.visit : undefined;
  }

  timeoutOf(tenantId: string): number {
    return this.timeout(tenantId);
  }

  /**
   * Takes a flushed buffer's visits. Now and then drops those no later event could continue
   * (`usable` would refuse them), judged by receipt time so the sweep changes no answer.
   */
  commit(staged: VisitsByTenant): void {
    for (const [tenantId, visitors] of staged) {
      let open = this.open.get(tenantId);
      if (!open) this.open.set(tenantId, (open = new Map()));
      for (const [visitor, entry] of visitors) {
        open.set(visitor, entry);
        this.latest = Math.max(this.latest, entry.received);
      }
    }
    if (this.latest - this.swept < SWEEP_EVERY_MS) return;
    this.swept = this.latest;
    for (const [tenantId, open] of this.open) {
      const before = this.latest - this.timeout(tenantId) - VISIT_ARRIVAL_GRACE_MS - SWEEP_MARGIN_MS;
      for (const [visitor, entry] of open) if (entry.received < before) open.delete(visitor);
      if (open.size === 0) this.open.delete(tenantId);
    }
  }

  get size(): number {
    let size = 0;
    for (const open of this.open.values()) size += open.size;
    return size;
  }
}
