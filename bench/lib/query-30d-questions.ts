import type { QueryString } from '../../analytics/src/query/query-params.ts';
import { DAY, NOW } from './query-30d-events.ts';

/** The goal the 30-day questions filter by: a sign-up on the pro plan. */
export const BENCH_GOALS = [{ id: 'pro', kind: 'event' as const, event: 'Signed Up', properties: { plan: 'pro' } }];

/**
 * 30-day panels up to `now` with filters on two dimensions, which only the raw events answer (with
 * the compared period where a dashboard shows it).
 */
export function twoFilterQuestions(now = NOW): ReadonlyArray<{ label: string; params: QueryString }> {
  const range = { granularity: 'day' as const, from: new Date(now - 30 * DAY).toISOString(), to: new Date(now).toISOString() };
  return [
    { label: 'bounce_rate, country:GB AND browser:Firefox, compare previous 30 days', params: { ...range, metric: 'bounce_rate', filter: ['country:GB', 'browser:Firefox'], compare: 'previous' } },
    { label: 'visits, country:GB AND device:mobile', params: { ...range, metric: 'visits', filter: ['country:GB', 'device:mobile'] } },
    { label: 'pageviews, country:GB AND browser:Firefox, compare previous', params: { ...range, metric: 'pageviews', filter: ['country:GB', 'browser:Firefox'], compare: 'previous' } },
    { label: 'goal_conversions, country:GB AND device:mobile, compare previous', params: { ...range, metric: 'goal_conversions', filter: ['country:GB', 'device:mobile'], compare: 'previous' } },
    { label: 'goal_conversion_rate, goal:pro AND country:GB AND device:mobile, compare', params: { ...range, metric: 'goal_conversion_rate', filter: ['goal:pro', 'country:GB', 'device:mobile'], compare: 'previous' } },
  ];
}
