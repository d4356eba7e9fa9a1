import type { AnalyticsEvent } from './event.ts';
import { type BreakdownDimension, type MetricDeclaration, type Series, type VisitFact, dimensionValue, eventPath, matches } from './metrics.ts';

/**
 * Visits as the speed layer folds them, one event at a time, into additive changes of the visit
 * metrics' cells. The batch computes the same visits from all of a day's events at once
 * (metric-sql.ts, `visitsSql`); the ground-truth tests hold both to an independent count.
 *
 * A visit is one visitor's (anonymousId, else userId) events with no gap longer than the
 * tenant's timeout, inside one UTC day (the batch's period: a visit across midnight is two, in
 * both layers). Every fact of a visit is counted in the quarter hour (and minute) it started in,
 * so a visit that goes on only changes its own start bucket: a second event takes its bounce
 * back (-1), adds the time since the last event to its duration and may move its exit page.
 */

export const DEFAULT_VISIT_TIMEOUT_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

/** The open visit of one visitor, kept between its events. */
export interface OpenVisit {
  /** First event's time: the bucket every fact of the visit is counted in. */
  start: number;
  /** Earliest and latest event times seen (an event may arrive out of order). */
  first: number;
  last: number;
  events: number;
  /** The last page seen, with the (time, messageId) of the event that set it: ties order by messageId, as in the batch. */
  exit?: { path: string; at: number; key: string };
  /** The entry event's value per breakdown dimension (the exit page excepted). */
  entry: Record<string, string>;
}

/** One additive change to a visit metric's cell in the visit's start bucket. */
export interface VisitDelta {
  metric: string;
  series: Series | null;
  amount: number;
}

export interface VisitStep {
  visitor: string;
  /** The visit this event belongs to after it, and whether it is now the visitor's open visit. */
  visit: OpenVisit;
  keep: boolean;
  deltas: VisitDelta[];
}

/** Who a visit belongs to: the device (anonymousId survives a login), else the user. */
export function visitorOf(event: AnalyticsEvent): string | undefined {
  return event.anonymousId || event.userId || undefined;
}

export function visitMetrics(metrics: readonly MetricDeclaration[]): MetricDeclaration[] {
  return metrics.filter((m) => m.visit !== undefined);
}

/** The visit metrics of a declaration list and the entry dimensions they break down by, found once per list. */
interface VisitPlan {
  declared: readonly MetricDeclaration[];
  entryDimensions: readonly BreakdownDimension[];
}

const plans = new WeakMap<readonly MetricDeclaration[], VisitPlan>();

function visitPlan(metrics: readonly MetricDeclaration[]): VisitPlan {
  let plan = plans.get(metrics);
  if (!plan) {
    const declared = visitMetrics(metrics);
    const entryDimensions = [...new Set(declared.flatMap((m) => m.breakdowns))].filter((d) => d !== 'visit.exit_page');
    plans.set(metrics, (plan = { declared, entryDimensions }));
  }
  return plan;
}

function openingAmount(fact: VisitFact, isPage: boolean, hasPath: boolean): number {
  switch (fact) {
    case 'visits':
    case 'bounces':
      return 1;
    case 'duration_ms':
      return 0;
    case 'pageviews':
      return isPage ? 1 : 0;
    case 'exits':
      return hasPath ? 1 : 0;
  }
}

/** Every field of OpenVisit, as the continued visit in `foldVisit` copies them: a field added there fails to type-check here until it is copied too. */
const CONTINUED_FIELDS: Record<keyof OpenVisit, true> = { start: true, first: true, last: true, events: true, entry: true, exit: true };
void CONTINUED_FIELDS;

/** The change `amount` to a visit metric: its total, and each breakdown the visit has a value for. A function of its own, not a closure made per event. */
function emitDeltas(deltas: VisitDelta[], metric: MetricDeclaration, amount: number, visit: OpenVisit, exitPath: string | undefined): void {
  if (amount === 0) return;
  deltas.push({ metric: metric.name, series: null, amount });
  for (const dimension of metric.breakdowns) {
    const value = dimension === 'visit.exit_page' ? exitPath : visit.entry[dimension];
    if (value !== undefined) deltas.push({ metric: metric.name, series: { dimension, value }, amount });
  }
}

/**
 * What `event` (at `time`, epoch ms) does to its visitor's visit, given the visit open before it.
 * Undefined when the event is not part of any visit (a bot, an identify call, no visitor).
 *
 * @example
 * const step = foldVisit(book.get(key), event, Date.parse(event.timestamp), DEFAULT_VISIT_TIMEOUT_MS, METRICS);
 * if (step?.keep) book.set(key, step.visit); // step.deltas go into cells at bucketStart(step.visit.start, ...)
 */
export function foldVisit(open: OpenVisit | undefined, event: AnalyticsEvent, time: number, timeoutMs: number, metrics: readonly MetricDeclaration[]): VisitStep | undefined {
  const { declared, entryDimensions } = visitPlan(metrics);
  const first = declared[0];
  if (!first || !matches(event, first.filter)) return undefined;
  const visitor = visitorOf(event);
  if (!visitor) return undefined;
  const isPage = event.type === 'page' || event.type === 'screen';
  const path = eventPath(event);
  const deltas: VisitDelta[] = [];

  const within = open !== undefined && time >= open.first - timeoutMs && time - open.last <= timeoutMs && Math.floor(time / DAY_MS) === Math.floor(open.start / DAY_MS);
  if (!within) {
    const visit: OpenVisit = { start: time, first: time, last: time, events: 1, entry: {}, ...(path === undefined ? {} : { exit: { path, at: time, key: event.messageId } }) };
    for (const dimension of entryDimensions) {
      const value = dimensionValue(event, dimension);
      if (value !== undefined) visit.entry[dimension] = value;
    }
    for (const metric of declared) emitDeltas(deltas, metric, openingAmount(metric.visit!, isPage, path !== undefined), visit, path);
    // An older event arriving after a newer visit opened counts as its own visit but does not replace the open one.
    return { visitor, visit, keep: open === undefined || time >= open.last, deltas };
  }

  // Written out rather than spread (a spread with overrides cost about 1.5 µs an event, this 0.3); CONTINUED_FIELDS
  // stops the build when OpenVisit gains a field this literal does not copy.
  const visit: OpenVisit = { start: open.start, first: Math.min(open.first, time), last: Math.max(open.last, time), events: open.events + 1, entry: open.entry };
  if (open.exit !== undefined) visit.exit = open.exit;
  const moves = path !== undefined && (open.exit === undefined || time > open.exit.at || (time === open.exit.at && event.messageId >= open.exit.key));
  if (moves) visit.exit = { path, at: time, key: event.messageId };
  for (const metric of declared) {
    switch (metric.visit!) {
      case 'bounces':
        if (open.events === 1) emitDeltas(deltas, metric, -1, visit, undefined);
        break;
      case 'duration_ms':
        emitDeltas(deltas, metric, visit.last - visit.first - (open.last - open.first), visit, undefined);
        break;
      case 'pageviews':
        if (isPage) emitDeltas(deltas, metric, 1, visit, undefined);
        break;
      case 'exits':
        if (moves && open.exit?.path !== path) {
          if (open.exit) emitDeltas(deltas, metric, -1, visit, open.exit.path);
          emitDeltas(deltas, metric, 1, visit, path);
        }
        break;
      case 'visits':
        break;
    }
  }
  return { visitor, visit, keep: true, deltas };
}
