import type { QuotaCounter } from './quota-counter.ts';

/** Usage in this process; old days are dropped once more than a few are held per tenant. */
export function createMemoryQuotaCounter(): QuotaCounter {
  const usage = new Map<string, Map<string, number>>();
  const daysOf = (tenantId: string) => {
    let days = usage.get(tenantId);
    if (!days) usage.set(tenantId, (days = new Map()));
    return days;
  };
  return {
    async consume(tenantId, day, count, limit) {
      const days = daysOf(tenantId);
      const used = days.get(day) ?? 0;
      const granted = Math.max(0, Math.min(count, limit - used));
      days.set(day, used + granted);
      // Two days in flight are normal around midnight; more means old ones are dead.
      if (days.size > 3) for (const old of [...days.keys()].sort().slice(0, days.size - 3)) days.delete(old);
      return granted;
    },
    async refund(tenantId, day, count) {
      const days = daysOf(tenantId);
      days.set(day, Math.max(0, (days.get(day) ?? 0) - count));
    },
    async used(tenantId, day) {
      return usage.get(tenantId)?.get(day) ?? 0;
    },
    async close() {
      usage.clear();
    },
  };
}
