import { type AnalyticsEvent, compileGoals, type CompiledGoals, type EventContributions, goalContributions, type MetricDeclaration } from '../contracts/index.ts';

/**
 * Each tenant's goals, compiled, as of the last refresh: looked up once per event, so it must
 * answer from memory (see `watchGoals` in goals/).
 */
export type TenantGoals = (tenantId: string) => CompiledGoals;
const none = compileGoals([]);
export const noGoals: TenantGoals = () => none;

/** The event's metric contributions with what it adds to the goal metrics, when its tenant has goals. */
export function withGoalContributions(result: EventContributions, event: AnalyticsEvent, metrics: readonly MetricDeclaration[], goals: TenantGoals): EventContributions {
  const defined = goals(event.tenantId);
  if (defined.size === 0) return result;
  const added = goalContributions(event, defined, metrics);
  if (added.contributions.length === 0 && added.rejections.length === 0) return result;
  return { contributions: [...result.contributions, ...added.contributions], rejections: [...result.rejections, ...added.rejections] };
}
