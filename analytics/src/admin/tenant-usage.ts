import type { CollectorMetrics, QuotaCounter } from '../collector/index.ts';
import { tenantDay } from '../calendar/index.ts';
import type { Tenant } from '../tenants/index.ts';

/** What a tenant sent: today against its quota, and what the collector did with it. */
export interface TenantUsage {
  tenantId: string;
  timeZone: string;
  /** The tenant's calendar day (its time zone), which the quota counts and resets on. */
  today: { day: string; dailyQuota: number; used: number; remaining: number; resetsInSeconds: number };
  /**
   * The collector's counters in this instance since it started: per process, so several
   * collector instances each count their own share, and a restart starts again from zero.
   */
  sinceStart: {
    since: string;
    accepted: number;
    bots: number;
    duplicates: number;
    rejected: number;
    rejectedByReason: Record<string, number>;
  };
}

export interface UsageDeps {
  /** The collector's quota counter: shared by every instance with REDIS_URL. */
  quota: QuotaCounter;
  metrics: CollectorMetrics;
  startedAt: Date;
  now?: () => Date;
}

type Labelled = { get(): Promise<{ values: Array<{ value: number; labels: Record<string, string | number | undefined> }> }> };

/** One pass over a counter: the sum per tenant (and per reason, when the counter has one). */
async function perTenant(counter: Labelled): Promise<Map<string, { total: number; byReason: Record<string, number> }>> {
  const sums = new Map<string, { total: number; byReason: Record<string, number> }>();
  for (const { value, labels } of (await counter.get()).values) {
    const tenant = String(labels.tenant ?? '');
    let sum = sums.get(tenant);
    if (!sum) sums.set(tenant, (sum = { total: 0, byReason: {} }));
    sum.total += value;
    if (labels.reason !== undefined) sum.byReason[String(labels.reason)] = (sum.byReason[String(labels.reason)] ?? 0) + value;
  }
  return sums;
}

/**
 * Reads usage without touching the collector's path: the quota counter it already keeps per
 * tenant day, and its Prometheus counters.
 */
export function createUsageReader(deps: UsageDeps) {
  const now = deps.now ?? (() => new Date());
  return async function usageOf(tenants: readonly Tenant[]): Promise<TenantUsage[]> {
    const at = now();
    const { metrics } = deps;
    const [accepted, bots, duplicates, rejected] = await Promise.all([
      perTenant(metrics.accepted as Labelled),
      perTenant(metrics.bots as Labelled),
      perTenant(metrics.duplicates as Labelled),
      perTenant(metrics.rejected as Labelled),
    ]);
    return Promise.all(
      tenants.map(async (tenant): Promise<TenantUsage> => {
        const { day, secondsLeft } = tenantDay(at, tenant.timeZone);
        const used = await deps.quota.used(tenant.id, day);
        const count = (sums: typeof accepted) => sums.get(tenant.id)?.total ?? 0;
        return {
          tenantId: tenant.id,
          timeZone: tenant.timeZone,
          today: { day, dailyQuota: tenant.dailyQuota, used, remaining: Math.max(0, tenant.dailyQuota - used), resetsInSeconds: secondsLeft },
          sinceStart: {
            since: deps.startedAt.toISOString(),
            accepted: count(accepted),
            bots: count(bots),
            duplicates: count(duplicates),
            rejected: count(rejected),
            rejectedByReason: rejected.get(tenant.id)?.byReason ?? {},
          },
        };
      }),
    );
  };
}

export type UsageReader = ReturnType<typeof createUsageReader>;
