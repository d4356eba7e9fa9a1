import type { AnalyticsEvent } from './event.ts';
import { type Contribution, dimensionValue, type EventContributions, eventPath, matches, measureValue, type MetricDeclaration, type Rejection, scalarAt } from './metrics.ts';

/**
 * Goal metrics as the speed layer counts them, one event at a time, from the tenant's goal
 * definitions. The batch derives the same cells from the same definitions in SQL (metric-sql.ts,
 * `goalConditionSql`); the ground-truth tests hold both to an independent count.
 *
 * An event completes a goal when it is a human track event of the goal's name carrying each of
 * its property values (compared as text, the way breakdown values read), or a page or screen
 * view whose path (`context.page.path`, else `properties.path`) matches the goal's pattern, where
 * `*` stands for any run of characters.
 */

/** What the metrics need of a goal: its id (the `goal` breakdown value) and what completes it. */
export interface GoalDefinition {
  id: string;
  kind: 'event' | 'page';
  event?: string | undefined;
  properties?: Readonly<Record<string, string | number | boolean>> | undefined;
  path?: string | undefined;
}

/**
 * A tenant's goals ready to test events against, built once per definition change rather than
 * per event: event goals indexed by event name, page goals tested against the path read once.
 */
export interface CompiledGoals {
  readonly size: number;
  /** The ids of the goals `event` completes. */
  completedBy(event: AnalyticsEvent): readonly string[];
}

const NONE: readonly string[] = [];

/** `*` matches any run of characters (none included); every other character only itself. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts.at(-1)!;
  if (parts.length === 1) return path === pattern;
  if (!path.startsWith(first) || path.length < first.length + last.length || !path.endsWith(last)) return false;
  let at = first.length;
  const end = path.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = path.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

export function compileGoals(goals: readonly GoalDefinition[]): CompiledGoals {
  const pages = goals.filter((g) => g.kind === 'page').map((g) => ({ id: g.id, pattern: g.path ?? '' }));
  const byEvent = new Map<string, Array<{ id: string; wanted: Array<readonly [string, string]> }>>();
  for (const goal of goals) {
    if (goal.kind !== 'event' || goal.event === undefined) continue;
    const wanted = Object.entries(goal.properties ?? {}).map(([key, value]) => [`properties.${key}`, String(value)] as const);
    const list = byEvent.get(goal.event) ?? [];
    byEvent.set(goal.event, [...list, { id: goal.id, wanted }]);
  }
  return {
    size: goals.length,
    completedBy(event) {
      if (event.type === 'track') {
        const candidates = event.event === undefined ? undefined : byEvent.get(event.event);
        if (!candidates) return NONE;
        return candidates.filter((g) => g.wanted.every(([path, value]) => scalarAt(event, path) === value)).map((g) => g.id);
      }
      if ((event.type !== 'page' && event.type !== 'screen') || pages.length === 0) return NONE;
      const path = eventPath(event);
      if (path === undefined) return NONE;
      return pages.filter((g) => pathPatternMatches(g.pattern, path)).map((g) => g.id);
    },
  };
}

/**
 * What `event` adds to the goal metrics, given its tenant's goals: nothing unless it completes at
 * least one; then each goal metric's total once, its `goal` breakdown once per goal completed,
 * and its other breakdowns once. Bots never complete a goal (the metrics' filter).
 *
 * @example
 * goalContributions(thankYouPage, compileGoals([{ id: 'g1', kind: 'page', path: '/thanks*' }]), METRICS).contributions
 * // [{ metric: 'goal_conversions', series: null, kind: 'count', amount: 1 }, { metric: 'goal_conversions', series: { dimension: 'goal', value: 'g1' }, ... }, ...]
 */
export function goalContributions(event: AnalyticsEvent, goals: CompiledGoals, metrics: readonly MetricDeclaration[]): EventContributions {
  const contributions: Contribution[] = [];
  const rejections: Rejection[] = [];
  let completed: readonly string[] | undefined;
  for (const metric of metrics) {
    if (!metric.goal || !matches(event, metric.filter)) continue;
    completed ??= goals.completedBy(event);
    if (completed.length === 0) break;
    const value = measureValue(event, metric.measure);
    if (value === undefined) continue;
    if ('rejected' in value) {
      rejections.push({ metric: metric.name, reason: value.rejected });
      continue;
    }
    contributions.push({ metric: metric.name, series: null, ...value });
    for (const dimension of metric.breakdowns) {
      if (dimension === 'goal') {
        for (const id of completed) contributions.push({ metric: metric.name, series: { dimension, value: id }, ...value });
        continue;
      }
      const breakdown = dimensionValue(event, dimension);
      if (breakdown !== undefined) contributions.push({ metric: metric.name, series: { dimension, value: breakdown }, ...value });
    }
  }
  return { contributions, rejections };
}
