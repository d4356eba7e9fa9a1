import { compileGoals, type CompiledGoals } from '../contracts/index.ts';
import type { Goal } from './goal.ts';
import type { GoalStore } from './goal-store.ts';

export interface GoalCache {
  /** The tenant's goals, compiled, as of the last refresh: no store call, for the per-event fold. */
  goalsOf(tenantId: string): CompiledGoals;
  /** The tenant's goals as defined, as of the last refresh. */
  definitionsOf(tenantId: string): readonly Goal[];
  /** Reads one tenant's goals again (after a change through this process's routes), or every tenant's. */
  refresh(tenantId?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every tenant's goals, read from the goal store now and every `everyMs`, and at once for a tenant
 * whose goals this process changed (`refresh(tenantId)`) or, where the store announces changes
 * (Redis), another process changed: the speed layer counts a new goal from that moment on. The
 * periodic read is what catches a missed announcement.
 *
 * @example
 * const goals = await watchGoals(goalStore, async () => (await tenantStore.listTenants()).map((t) => t.id));
 * startSpeedLayer({ ..., goals: goals.goalsOf });
 */
export async function watchGoals(store: Pick<GoalStore, 'list' | 'subscribe'>, tenants: () => Promise<readonly string[]>, options: { everyMs?: number; onError?: (error: unknown) => void } = {}): Promise<GoalCache> {
  let byTenant = new Map<string, { defined: Goal[]; compiled: CompiledGoals }>();
  const entry = (defined: Goal[]) => ({ defined, compiled: compileGoals(defined) });
  const none = compileGoals([]);
  // Reads overlap (an announcement during the periodic read): a read started earlier never replaces
  // what a later one of the same tenant stored, so an announced change is not undone by a stale read.
  let reads = 0;
  const readAt = new Map<string, number>();
  const refresh = async (tenantId?: string) => {
    const started = ++reads;
    if (tenantId !== undefined) {
      const defined = await store.list(tenantId);
      if ((readAt.get(tenantId) ?? 0) > started) return;
      readAt.set(tenantId, started);
      byTenant = new Map(byTenant).set(tenantId, entry(defined));
      return;
    }
    const ids = await tenants();
    const next = new Map<string, { defined: Goal[]; compiled: CompiledGoals }>();
    for (const id of ids) {
      const defined = await store.list(id);
      if (defined.length > 0) next.set(id, entry(defined));
    }
    for (const [id, at] of readAt) {
      if (at <= started) continue;
      const kept = byTenant.get(id);
      if (kept) next.set(id, kept);
      else next.delete(id);
    }
    for (const id of ids) if ((readAt.get(id) ?? 0) < started) readAt.set(id, started);
    byTenant = next;
  };
  // Subscribed before the first read, so a change made while it runs is read again, not missed.
  const announced = await store.subscribe?.((tenantId) => void refresh(tenantId).catch((error: unknown) => options.onError?.(error)));
  try {
    await refresh();
  } catch (error) {
    await announced?.close();
    throw error;
  }
  const timer = setInterval(() => void refresh().catch((error: unknown) => options.onError?.(error)), options.everyMs ?? 30_000);
  timer.unref();
  return {
    goalsOf: (tenantId) => byTenant.get(tenantId)?.compiled ?? none,
    definitionsOf: (tenantId) => byTenant.get(tenantId)?.defined ?? [],
    refresh,
    stop: async () => {
      clearInterval(timer);
      await announced?.close();
    },
  };
}
