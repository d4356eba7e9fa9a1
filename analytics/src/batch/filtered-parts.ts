import type { GoalDefinition, VisitFact } from '../contracts/index.ts';
import type { RawDimension, RawFilter, VisitPage } from './raw-dimension.ts';

/**
 * What to measure: per event one, a decimal property in minor units, a distinct person or
 * session, or the most frequent values of the first present path; per visit (folded from the
 * events as the batch folds them) one of its facts.
 */
export type RawMeasure =
  | { kind: 'count' }
  | { kind: 'sum'; property: string; decimals: number }
  | { kind: 'unique_person' }
  | { kind: 'unique_session' }
  | { kind: 'topk'; paths: readonly string[] }
  | { kind: 'visit'; fact: VisitFact; timeoutMs: number };

/**
 * A goal measure counts only the events completing one of the tenant's goals (`only`: that one),
 * tested as goal-metrics.ts and the batch test them. By goal (`byGoal`), an event counts once per
 * goal it completes, while the totals count it once.
 */
export interface RawGoals {
  definitions: readonly GoalDefinition[];
  only?: string;
  byGoal?: boolean;
}

export interface FilteredMetricSpec {
  tenantId: string;
  measure: RawMeasure;
  types?: readonly string[];
  events?: readonly string[];
  /** Counts the bot events (the `bots` metric) instead of the human ones every other measure counts. */
  bots?: boolean;
  /** All must hold (AND). */
  filters: readonly RawFilter[];
  /** For a visit measure, the entry event's value (or the visit's entry or exit page). */
  breakdown?: RawDimension | VisitPage;
  /** Per-event measures only. */
  goals?: RawGoals;
  /** The series' periods (UTC ms, end exclusive), contiguous and ascending. */
  buckets: ReadonlyArray<{ start: number; end: number }>;
  /** Top-K measures: items returned per period and over the range. Default 10. */
  limit?: number;
}

/** One of the metrics a question asks of one tenant's raw events. */
export type FilteredMetricPart = Omit<FilteredMetricSpec, 'tenantId'>;

export interface TopItem {
  item: string;
  count: number;
}

export interface FilteredMetricAnswer {
  /** Per period: the count, sum or distinct count (for top-K, the hits of every item). */
  points: Array<{ value: number; breakdown: Map<string, number>; top?: TopItem[] }>;
  total: number;
  /** Each breakdown value over the whole range (a distinct count over the range for unique). */
  totals: Map<string, number>;
  /** Top-K measures: the range's most frequent items. */
  top?: TopItem[];
}
