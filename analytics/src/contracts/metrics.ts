import type { AnalyticsEvent, EventType } from './event.ts';
import { EVENT_DIMENSION_NAMES, dimensionPath, isEventDimension, type EventDimensionName } from './dimensions.ts';

/**
 * Every metric the platform computes, declared once as data. The speed layer (Redis) and the
 * batch layer (DuckDB) both derive their work from these declarations through `contributions`,
 * so adding a metric is one entry here, never two implementations.
 */

/**
 * Properties a metric may be broken down by: `type` / `event`, a dotted path into the event, or an
 * ingest dimension by its name (`browser`, `country`: see EVENT_DIMENSIONS).
 */
const PATH_DIMENSIONS = ['type', 'event', 'context.page.path', 'properties.category', 'context.campaign.source', 'visit.entry_page', 'visit.exit_page', 'goal'] as const;
export type BreakdownDimension = (typeof PATH_DIMENSIONS)[number] | EventDimensionName;
export const BREAKDOWN_DIMENSIONS: readonly BreakdownDimension[] = [...PATH_DIMENSIONS, ...EVENT_DIMENSION_NAMES];

/** The dotted path a breakdown reads: ingest dimensions live under `dimensions.`. */
export function breakdownPath(dimension: Exclude<BreakdownDimension, 'type' | 'event' | 'goal'>): string {
  return isEventDimension(dimension) ? dimensionPath(dimension) : dimension;
}

// Counts, sums and unique people can be cut by every ingest dimension.
const BY_DIMENSION = EVENT_DIMENSION_NAMES;

/** Who a unique count counts: a person (userId, else anonymousId) or a session. */
export type Identity = 'user' | 'session';

export type Measure =
  | { kind: 'count' }
  /** Exact sum of a decimal property, kept as an integer of `10^-decimals` units (cents for 2). */
  | { kind: 'sum'; property: string; decimals: number }
  | { kind: 'unique'; identity: Identity }
  /** The `k` most frequent values of the first present property path. */
  | { kind: 'topk'; property: readonly string[]; k: number };

export type MetricKind = Measure['kind'];

export interface MetricFilter {
  types?: readonly EventType[];
  /** Track event names (or page names) to keep. */
  events?: readonly string[];
  /** Bot traffic is excluded from every human metric and counted only where this says `only`. */
  bots?: 'exclude' | 'only';
}

/**
 * What a visit metric adds up per visit, into the quarter hour the visit started in (see
 * visits.ts): visits started, visits of one event (bounces), milliseconds from first to last
 * event, page and screen views, visits per exit page. Their measure is a `count` of these units.
 */
export type VisitFact = 'visits' | 'bounces' | 'duration_ms' | 'pageviews' | 'exits';

export interface MetricDeclaration {
  name: string;
  description: string;
  filter: MetricFilter;
  measure: Measure;
  breakdowns: readonly BreakdownDimension[];
  /**
   * A visit metric: counted once per visit from the visitor's events (the filter picks which
   * events make up visits), not once per event. Breakdowns are the visit's entry event's values.
   */
  visit?: VisitFact;
  /**
   * A goal metric: counted from the tenant's goal definitions (goal-metrics.ts), for each event
   * completing at least one goal; its `goal` breakdown is the goal's id, once per goal completed.
   */
  goal?: true;
}

/** The events visits are made of: human page, screen and track events (not identify, group, alias). */
export const VISIT_FILTER = { types: ['page', 'screen', 'track'] } as const satisfies MetricFilter;

/** The events a goal can be completed by: human page and screen views (page goals) and track events (event goals). */
export const GOAL_FILTER = { types: ['page', 'screen', 'track'] } as const satisfies MetricFilter;

function visitMetric<N extends string>(name: N, fact: VisitFact, description: string, breakdowns: readonly BreakdownDimension[]) {
  return { name, description, filter: VISIT_FILTER, measure: { kind: 'count' } as const, breakdowns, visit: fact };
}

export const METRICS = [
  {
    name: 'events',
    description: 'Human events, by name (track event name, else the event type)',
    filter: {},
    measure: { kind: 'count' },
    breakdowns: ['event', 'type', 'context.campaign.source', ...BY_DIMENSION],
  },
  {
    name: 'pageviews',
    description: 'Page views',
    filter: { types: ['page'] },
    measure: { kind: 'count' },
    breakdowns: ['context.page.path', 'properties.category', 'context.campaign.source', ...BY_DIMENSION],
  },
  {
    name: 'unique_users',
    description: 'Distinct people (userId, else anonymousId), HyperLogLog',
    filter: {},
    measure: { kind: 'unique', identity: 'user' },
    breakdowns: ['type', 'context.campaign.source', ...BY_DIMENSION],
  },
  {
    name: 'unique_sessions',
    description: 'Distinct sessions (context.sessionId or properties.sessionId), HyperLogLog',
    filter: {},
    measure: { kind: 'unique', identity: 'session' },
    // Each unique breakdown costs the batch a distinct pass over identities: sessions stay uncut.
    breakdowns: ['context.campaign.source'],
  },
  {
    name: 'top_pages',
    description: 'Most viewed page paths',
    filter: { types: ['page'] },
    measure: { kind: 'topk', property: ['context.page.path', 'properties.path'], k: 10 },
    breakdowns: [],
  },
  {
    name: 'top_referrers',
    description: 'Most frequent referrers of page views',
    filter: { types: ['page'] },
    measure: { kind: 'topk', property: ['context.page.referrer', 'properties.referrer'], k: 10 },
    breakdowns: [],
  },
  {
    name: 'revenue',
    description: 'Sum of properties.revenue of Order Completed, in minor units (cents)',
    filter: { types: ['track'], events: ['Order Completed'] },
    measure: { kind: 'sum', property: 'properties.revenue', decimals: 2 },
    breakdowns: ['properties.category', 'context.campaign.source', ...BY_DIMENSION],
  },
  {
    name: 'orders',
    description: 'Completed orders',
    filter: { types: ['track'], events: ['Order Completed'] },
    measure: { kind: 'count' },
    breakdowns: ['properties.category', 'context.campaign.source', ...BY_DIMENSION],
  },
  visitMetric('visits', 'visits', 'Visits: a visitor\'s events with no gap longer than the tenant\'s visit timeout (30 minutes by default), within one UTC day', ['visit.entry_page', 'context.campaign.source', ...BY_DIMENSION]),
  visitMetric('bounces', 'bounces', 'Visits of a single event', ['visit.entry_page', 'context.campaign.source', ...BY_DIMENSION]),
  visitMetric('visit_duration_ms', 'duration_ms', 'Milliseconds from the first to the last event of each visit, added up', ['visit.entry_page', 'context.campaign.source', ...BY_DIMENSION]),
  visitMetric('visit_pageviews', 'pageviews', 'Page and screen views inside visits, added up', ['visit.entry_page', 'context.campaign.source', ...BY_DIMENSION]),
  visitMetric('exits', 'exits', 'Visits by the path of their last event that has one (exit page)', ['visit.exit_page', ...BY_DIMENSION]),
  {
    name: 'goal_conversions',
    description: "Events completing one of the tenant's goals; by goal (its id) once per goal completed, while the total counts an event completing several goals once",
    filter: GOAL_FILTER,
    measure: { kind: 'count' },
    breakdowns: ['goal', 'context.campaign.source', ...BY_DIMENSION],
    goal: true,
  },
  {
    name: 'goal_visitors',
    description: 'Distinct people (userId, else anonymousId) who completed a goal, HyperLogLog; by goal',
    filter: GOAL_FILTER,
    measure: { kind: 'unique', identity: 'user' },
    breakdowns: ['goal'],
    goal: true,
  },
  {
    name: 'goal_revenue',
    description: 'Sum of properties.revenue of the events completing a goal, in minor units (cents); by goal',
    filter: GOAL_FILTER,
    measure: { kind: 'sum', property: 'properties.revenue', decimals: 2 },
    breakdowns: ['goal', 'context.campaign.source', ...BY_DIMENSION],
    goal: true,
  },
  {
    name: 'bots',
    description: 'Events flagged as bot traffic, counted apart from every human metric',
    filter: { bots: 'only' },
    measure: { kind: 'count' },
    breakdowns: ['type', 'event'],
  },
] as const satisfies readonly MetricDeclaration[];

export type MetricName = (typeof METRICS)[number]['name'];

/**
 * A metric answered as the ratio of two declared metrics, point by point and over the range
 * (never an average of ratios): bounce rate, mean visit duration, pages per visit.
 */
export interface RatioDeclaration {
  name: string;
  description: string;
  numerator: string;
  denominator: string;
  /**
   * A dimension the denominator does not have: a breakdown or filter by it applies to the
   * numerator only, and each value is divided by the denominator's whole (a goal's converting
   * visitors over all visitors).
   */
  whole?: BreakdownDimension;
}

export const RATIOS = [
  { name: 'bounce_rate', description: 'Bounces per visit (0 to 1)', numerator: 'bounces', denominator: 'visits' },
  { name: 'visit_duration', description: 'Mean visit duration in milliseconds', numerator: 'visit_duration_ms', denominator: 'visits' },
  { name: 'pages_per_visit', description: 'Page and screen views per visit', numerator: 'visit_pageviews', denominator: 'visits' },
  {
    name: 'goal_conversion_rate',
    description: 'People who completed a goal per unique visitor (0 to 1); by goal, each goal over all unique visitors',
    numerator: 'goal_visitors',
    denominator: 'unique_users',
    whole: 'goal',
  },
] as const satisfies readonly RatioDeclaration[];

export function findRatio(name: string): RatioDeclaration | undefined {
  return RATIOS.find((r) => r.name === name);
}

export function findMetric(name: string, metrics: readonly MetricDeclaration[] = METRICS): MetricDeclaration | undefined {
  return metrics.find((m) => m.name === name);
}

/** One breakdown value of a contribution; `null` series means the metric's total. */
export interface Series {
  dimension: BreakdownDimension;
  value: string;
}

/** What one event adds to one metric series; both layers fold these into their buckets. */
export type Contribution = { metric: string; series: Series | null } & (
  | { kind: 'count'; amount: 1 }
  | { kind: 'sum'; amount: number }
  | { kind: 'unique'; identity: string }
  | { kind: 'topk'; item: string }
);

/** A value a metric could not use; counted per tenant as `rejected`, never dropped silently. */
export interface Rejection {
  metric: string;
  reason: string;
}

export interface EventContributions {
  contributions: Contribution[];
  rejections: Rejection[];
}

/**
 * The metric updates one event makes: for each matching metric, its total plus one entry per
 * allowed breakdown the event has a value for. Pure; time bucketing is the caller's.
 *
 * @example
 * contributions(pageEvent, METRICS).contributions
 * // [{ metric: 'events', series: null, kind: 'count', amount: 1 }, { metric: 'events', series: { dimension: 'type', value: 'page' }, ... }, ...]
 */
export function contributions(event: AnalyticsEvent, metrics: readonly MetricDeclaration[] = METRICS): EventContributions {
  const out: Contribution[] = [];
  const rejections: Rejection[] = [];
  const plan = planOf(metrics);
  const call = ++plan.calls;
  for (let m = 0; m < metrics.length; m++) {
    const metric = metrics[m]!;
    // Visit metrics are folded per visit (visits.ts), goal metrics per goal completed (goal-metrics.ts).
    if (metric.visit || metric.goal || !matches(event, metric.filter)) continue;
    const value = measureValue(event, metric.measure);
    if (value === undefined) continue;
    if ('rejected' in value) {
      rejections.push({ metric: metric.name, reason: value.rejected });
      continue;
    }
    out.push(contributionOf(metric.name, null, value));
    for (const d of plan.breakdowns[m]!) {
      if (plan.readIn[d] !== call) {
        plan.readIn[d] = call;
        const breakdown = dimensionValue(event, plan.dimensions[d]!);
        plan.series[d] = breakdown === undefined ? undefined : { dimension: plan.dimensions[d]!, value: breakdown };
      }
      const series = plan.series[d];
      if (series !== undefined) out.push(contributionOf(metric.name, series, value));
    }
  }
  return { contributions: out, rejections };
}

/** `{ metric, series, ...value }` written out per kind: a literal is allocated in place, a spread copies each property through the runtime. */
function contributionOf(metric: string, series: Series | null, value: Exclude<MeasuredValue, { rejected: string }>): Contribution {
  switch (value.kind) {
    case 'count':
      return { metric, series, kind: 'count', amount: value.amount };
    case 'sum':
      return { metric, series, kind: 'sum', amount: value.amount };
    case 'unique':
      return { metric, series, kind: 'unique', identity: value.identity };
    case 'topk':
      return { metric, series, kind: 'topk', item: value.item };
  }
}

/**
 * A declaration list's breakdown dimensions, numbered once, and the values of the event being
 * folded: the declarations ask for about 120 breakdowns per event over 17 dimensions, each read
 * once. A value belongs to the call whose number `readIn` holds (calls run to completion).
 */
interface ContributionPlan {
  dimensions: BreakdownDimension[];
  /** Per metric, its breakdowns' numbers. */
  breakdowns: number[][];
  /** Shared by every contribution of the event that breaks down by the dimension: read-only. */
  series: (Series | undefined)[];
  readIn: number[];
  calls: number;
}

const contributionPlans = new WeakMap<readonly MetricDeclaration[], ContributionPlan>();

function planOf(metrics: readonly MetricDeclaration[]): ContributionPlan {
  let plan = contributionPlans.get(metrics);
  if (!plan) {
    const dimensions = [...new Set(metrics.flatMap((m) => m.breakdowns))];
    const breakdowns = metrics.map((m) => m.breakdowns.map((d) => dimensions.indexOf(d)));
    plan = { dimensions, breakdowns, series: dimensions.map(() => undefined), readIn: dimensions.map(() => 0), calls: 0 };
    contributionPlans.set(metrics, plan);
  }
  return plan;
}

export type MeasuredValue =
  | { kind: 'count'; amount: 1 }
  | { kind: 'sum'; amount: number }
  | { kind: 'unique'; identity: string }
  | { kind: 'topk'; item: string }
  | { rejected: string };

export function matches(event: AnalyticsEvent, filter: MetricFilter): boolean {
  if (event.isBot !== (filter.bots === 'only')) return false;
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.events && (event.event === undefined || !filter.events.includes(event.event))) return false;
  return true;
}

export function measureValue(event: AnalyticsEvent, measure: Measure): MeasuredValue | undefined {
  switch (measure.kind) {
    case 'count':
      return { kind: 'count', amount: 1 };
    case 'sum': {
      const raw = pathValue(event, measure.property);
      if (raw === undefined || raw === null) return undefined;
      const amount = toMinorUnits(raw, measure.decimals);
      return amount === null ? { rejected: `${measure.property} is not a decimal with at most ${measure.decimals} places` } : { kind: 'sum', amount };
    }
    case 'unique': {
      const identity = measure.identity === 'user' ? (event.userId ?? event.anonymousId) : sessionId(event);
      return identity ? { kind: 'unique', identity } : undefined;
    }
    case 'topk': {
      for (const path of measure.property) {
        const item = scalar(pathValue(event, path));
        if (item !== undefined) return { kind: 'topk', item };
      }
      return undefined;
    }
  }
}

function sessionId(event: AnalyticsEvent): string | undefined {
  return scalar(event.context.sessionId) ?? scalar(event.properties.sessionId);
}

export function dimensionValue(event: AnalyticsEvent, dimension: BreakdownDimension): string | undefined {
  if (dimension === 'type') return event.type;
  if (dimension === 'event') return event.event ?? event.type;
  // Which goals an event completes depends on the tenant's definitions: goal-metrics.ts.
  if (dimension === 'goal') return undefined;
  // An event's own page stands for the entry (or exit) page of the visit it opens (or ends).
  if (dimension === 'visit.entry_page' || dimension === 'visit.exit_page') return eventPath(event);
  let path = DIMENSION_PATHS.get(dimension);
  if (path === undefined) DIMENSION_PATHS.set(dimension, (path = breakdownPath(dimension)));
  return scalar(pathValue(event, path));
}

const DIMENSION_PATHS = new Map<BreakdownDimension, string>();

/** Dotted paths split once each: the declarations' paths, a handful (bounded all the same). */
const SPLIT_PATHS = new Map<string, readonly string[]>();
const SPLIT_PATHS_LIMIT = 10_000;

/** The value at a dotted path as breakdowns read it (a non-empty string, finite number or boolean, as text). */
export function scalarAt(event: AnalyticsEvent, path: string): string | undefined {
  return scalar(pathValue(event, path));
}

/** The page an event was on: `context.page.path` (set by analytics.js on every event), else `properties.path`. */
export function eventPath(event: AnalyticsEvent): string | undefined {
  return scalar(pathValue(event, 'context.page.path')) ?? scalar(pathValue(event, 'properties.path'));
}

function pathValue(event: AnalyticsEvent, path: string): unknown {
  let keys = SPLIT_PATHS.get(path);
  if (!keys) {
    if (SPLIT_PATHS.size >= SPLIT_PATHS_LIMIT) SPLIT_PATHS.clear();
    SPLIT_PATHS.set(path, (keys = path.split('.')));
  }
  let node: unknown = event;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

// Breakdown values are capped so a hostile client cannot blow up keys or memory.
const MAX_VALUE_LENGTH = 200;

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value.slice(0, MAX_VALUE_LENGTH);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal (number or numeric string) as an exact integer of `10^-decimals` units, or null when
 * it is not representable exactly. Numbers go through their shortest round-trip string, so
 * 19.99 becomes 1999, never 1998.9999.
 */
export function toMinorUnits(value: unknown, decimals: number): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole = '', fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > decimals) return null;
  const units = Number(whole + trimmed.padEnd(decimals, '0'));
  if (!Number.isSafeInteger(units)) return null;
  return sign === '-' ? -units : units;
}
