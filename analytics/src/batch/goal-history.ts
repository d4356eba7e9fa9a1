import { createHash } from 'node:crypto';
import type { GoalDefinition } from '../contracts/index.ts';
import type { LakeStore } from './lake-store.ts';
import { periodOf, viewDates, viewsTenantPrefix, type Period } from './layout.ts';

/** Which goal definitions the tenant's views were computed with: a digest of what completes each goal. */
const goalsKey = (tenantId: string) => `${viewsTenantPrefix(tenantId)}_goals.json`;

/** The definitions' digest: the order goals were listed in and their names do not change a cell. */
export function goalsDigest(goals: readonly GoalDefinition[]): string {
  const canonical = goals
    .map((g) => ({ id: g.id, kind: g.kind, event: g.event ?? null, path: g.path ?? null, properties: Object.entries(g.properties ?? {}).sort(([a], [b]) => a.localeCompare(b)) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The days whose views must be computed again because the tenant's goals changed since they were
 * written (goals apply to history, as in Plausible): every day with a view. A tenant whose views
 * predate goal tracking counts as having had none. `record` is called once those days are
 * published, so a crash part way leaves the old digest and the next run recomputes them all again.
 */
export async function goalHistory(lake: LakeStore, tenantId: string, goals: readonly GoalDefinition[]): Promise<{ periods: Period[]; record: () => Promise<void> }> {
  const digest = goalsDigest(goals);
  const stored = await lake.get(goalsKey(tenantId));
  const previous = stored ? (JSON.parse(Buffer.from(stored).toString('utf8')) as { digest?: string }).digest : goalsDigest([]);
  if (previous === digest) return { periods: [], record: async () => undefined };
  const periods = viewDates(await lake.list(viewsTenantPrefix(tenantId))).map(periodOf);
  return { periods, record: () => lake.put(goalsKey(tenantId), Buffer.from(`${JSON.stringify({ digest, goals: goals.length })}\n`)) };
}
