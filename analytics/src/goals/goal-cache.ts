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
  stop(): void;
}

/**
 * Every tenant's goals, read from the goal store now and every `everyMs`, and at once for a tenant
 * whose goals this process changed (`refresh(tenantId)`): the speed layer counts a new goal from
 * that moment on. A goal changed through another process is picked up by the next refresh.
 *
 * @example
 * const goals = await watchGoals(goalStore, async () => (await tenantStore.listTenants()).map((t) => t.id));
 * startSpeedLayer({ ..., goals: goals.goalsOf });
 */
export async function watchGoals(store: Pick<GoalStore, 'list'>, tenants: () => Promise<readonly string[]>, options: { everyMs?: number; onError?: (error: unknown) => void } = {}): Promise<GoalCache> {
  let byTenant = new Map<string, { defined: Goal[]; compiled: CompiledGoals }>();
  const entry = (defined: Goal[]) => ({ defined, compiled: compileGoals(defined) });
  const none = compileGoals([]);
  const refresh = async (tenantId?: string) => {
    if (tenantId !== undefined) {
      const defined = await store.list(tenantId);
      byTenant = new Map(byTenant).set(tenantId, entry(defined));
      return;
    }
    const ids = await tenants();
    const next = new Map<string, { defined: Goal[]; compiled: CompiledGoals }>();
    for (const id of ids) {
      const defined = await store.list(id);
      if (defined.length > 0) next.set(id, entry(defined));
    }
    byTenant = next;
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch((error: unknown) => options.onError?.(error)), options.everyMs ?? 30_000);
  timer.unref();
  return {
    goalsOf: (tenantId) => byTenant.get(tenantId)?.compiled ?? none,
    definitionsOf: (tenantId) => byTenant.get(tenantId)?.defined ?? [],
    refresh,
    stop: () => clearInterval(timer),
  };
}
