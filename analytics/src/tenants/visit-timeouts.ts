import { DEFAULT_VISIT_TIMEOUT_MS } from '../contracts/index.ts';
import type { TenantStore } from './tenant-store.ts';

export interface VisitTimeouts {
  /** The tenant's visit timeout in ms, as of the last refresh; 30 minutes when unset or unknown. */
  timeoutMs(tenantId: string): number;
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Each tenant's visit timeout, read from the tenant store now and every `everyMs`, so the speed
 * layer's per-event fold looks it up without a store call. A tenant created since the last
 * refresh folds with the default until the next one.
 */
export async function watchVisitTimeouts(store: Pick<TenantStore, 'listTenants'>, options: { everyMs?: number; onError?: (error: unknown) => void } = {}): Promise<VisitTimeouts> {
  let byTenant = new Map<string, number>();
  const refresh = async () => {
    const tenants = await store.listTenants();
    byTenant = new Map(tenants.flatMap((t) => (t.visitTimeoutMinutes ? [[t.id, t.visitTimeoutMinutes * 60_000] as const] : [])));
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch((error: unknown) => options.onError?.(error)), options.everyMs ?? 30_000);
  timer.unref();
  return {
    timeoutMs: (tenantId) => byTenant.get(tenantId) ?? DEFAULT_VISIT_TIMEOUT_MS,
    refresh,
    stop: () => clearInterval(timer),
  };
}
