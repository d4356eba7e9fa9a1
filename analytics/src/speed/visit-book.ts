import { DEFAULT_VISIT_TIMEOUT_MS, type OpenVisit } from '../contracts/index.ts';

/** A tenant's visit timeout in ms: its own setting, else 30 minutes. */
export type VisitTimeout = (tenantId: string) => number;
export const defaultVisitTimeout: VisitTimeout = () => DEFAULT_VISIT_TIMEOUT_MS;

const SWEEP_EVERY_MS = 60_000;

/**
 * One partition's open visits (by tenant and visitor), as of the last flush the store accepted.
 * A buffer reads through it and stages its own changes; they are committed only once the flush
 * is applied, so a refused flush (`conflict`) re-reads its records against the visits as they
 * were. In memory only: after a restart a visit that goes on is counted as a new one until the
 * batch recomputes its day (reconciliation shows the difference meanwhile; ADR-0074).
 */
export class VisitBook {
  private readonly open = new Map<string, OpenVisit>();
  private latest = 0;
  private swept = 0;

  constructor(private readonly timeout: VisitTimeout = defaultVisitTimeout) {}

  static key(tenantId: string, visitor: string): string {
    return `${tenantId}\u0000${visitor}`;
  }

  get(key: string): OpenVisit | undefined {
    return this.open.get(key);
  }

  timeoutOf(tenantId: string): number {
    return this.timeout(tenantId);
  }

  /** Takes a flushed buffer's visits; visits idle past their tenant's timeout are dropped now and then. */
  commit(staged: ReadonlyMap<string, OpenVisit>): void {
    for (const [key, visit] of staged) {
      this.open.set(key, visit);
      this.latest = Math.max(this.latest, visit.last);
    }
    if (this.latest - this.swept < SWEEP_EVERY_MS) return;
    this.swept = this.latest;
    for (const [key, visit] of this.open) {
      const tenantId = key.slice(0, key.indexOf('\u0000'));
      if (visit.last + this.timeout(tenantId) < this.latest) this.open.delete(key);
    }
  }

  get size(): number {
    return this.open.size;
  }
}
