import type { Goal } from './goal.ts';

/**
 * Where goals are kept, per tenant. Adapters: a JSON file (embedded default) and Redis; one
 * contract suite covers both.
 */
export interface GoalStore {
  /** The tenant's goals by creation. */
  list(tenantId: string): Promise<Goal[]>;
  /** False when the tenant already has `max` goals. */
  add(goal: Goal, max: number): Promise<boolean>;
  /** False when the tenant has no such goal. */
  remove(tenantId: string, id: string): Promise<boolean>;
  /**
   * Calls `onChange` with the tenant whose goals any process changed through a store on the same
   * backend, from now on (Redis pub/sub). Absent where only one process writes (the file store).
   */
  subscribe?(onChange: (tenantId: string) => void): Promise<{ close(): Promise<void> }>;
  close(): Promise<void>;
}
