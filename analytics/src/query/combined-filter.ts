import type { DuckDBConnection } from '@duckdb/node-api';
import { badRequest } from '@shop/platform';
import { type BreakdownDimension, DEFAULT_VISIT_TIMEOUT_MS, EVENT_DIMENSION_NAMES, type GoalDefinition, isEventDimension, type MetricDeclaration, METRICS } from '../contracts/index.ts';
import { type FilteredMetricAnswer, type FilteredMetricPart, filteredMetrics, type LakeStore, type RawDimension, type RawFreshness, type RawMeasure, type VisitPage } from '../batch/index.ts';
import { type MetricQuery, type MetricResult, seriesBuckets } from '../serving/index.ts';
import { formatLocal } from '../calendar/index.ts';

export interface DimensionFilter {
  dimension: BreakdownDimension;
  value: string;
}

/**
 * A metric query as the API takes it: `filter` (one, read from stored cells) or `combined`
 * (several, or one with a breakdown by another dimension, counted from the raw events).
 */
export type PanelQuery = MetricQuery & { combined?: readonly DimensionFilter[] };

/** An answer says which path served it; the raw path also how far its events reach. */
export type PanelAnswer = MetricResult & {
  served?: 'cells' | 'raw events';
  filters?: DimensionFilter[];
  freshness: MetricResult['freshness'] & { source?: 'raw events'; through?: string | null; files?: number };
};

export const RAW_DIMENSION_NAMES: readonly BreakdownDimension[] = ['type', 'event', 'properties.category', 'context.page.path', 'context.campaign.source', ...EVENT_DIMENSION_NAMES];

/** Where the raw path reads a dimension; null for those it does not (a visit's entry and exit pages). */
export function rawDimension(dimension: BreakdownDimension): RawDimension | null {
  if (dimension === 'type' || dimension === 'event') return { kind: 'column', name: dimension };
  if (isEventDimension(dimension)) return { kind: 'json', root: 'dimensions', path: [dimension] };
  const [root, ...path] = dimension.split('.');
  return (root === 'properties' || root === 'context') && RAW_DIMENSION_NAMES.includes(dimension) ? { kind: 'json', root, path } : null;
}

/** Filters per question: each one more narrows the events, so five already pick a sliver. */
export const MAX_FILTERS = 5;

/**
 * `filter=dimension:value` parameters, checked against the dimensions `subject` can be cut by;
 * each refusal is a 400 naming `filter`.
 */
export function parseFilters(given: string | readonly string[] | undefined, allowed: readonly BreakdownDimension[], subject: string): DimensionFilter[] {
  const texts = given === undefined ? [] : typeof given === 'string' ? [given] : given;
  if (texts.length > MAX_FILTERS) throw badRequest(`filter: at most ${MAX_FILTERS} filters`, { field: 'filter' });
  const filters: DimensionFilter[] = [];
  for (const text of texts) {
    if (!/^[\w.]+:.+$/s.test(text)) throw badRequest('filter: must be dimension:value, e.g. country:FR or browser:Firefox', { field: 'filter' });
    const colon = text.indexOf(':');
    const name = text.slice(0, colon);
    const dimension = allowed.find((b) => b === name);
    if (!dimension) throw badRequest(`filter: ${subject} can be filtered by ${allowed.join(', ') || 'nothing'}, not ${name}`, { field: 'filter' });
    if (filters.some((f) => f.dimension === dimension)) throw badRequest(`filter: ${dimension} is filtered twice; an event has one ${dimension}`, { field: 'filter' });
    filters.push({ dimension, value: text.slice(colon + 1) });
  }
  return filters;
}

/**
 * The dimensions a metric can be filtered by: its breakdowns (one of them alone is read from the
 * stored cells), and every dimension the raw events carry, from which the raw path counts every
 * declared metric (for a visit metric also the visit's entry and exit pages). Goal metrics are
 * counted from the tenant's goal definitions and bot traffic from the bot events, as both layers
 * count them.
 */
export function filterDimensions(metric: MetricDeclaration): readonly BreakdownDimension[] {
  return [...new Set([...metric.breakdowns, ...(metric.visit ? VISIT_DIMENSIONS : []), ...RAW_DIMENSION_NAMES])];
}

/**
 * What a visit is cut by, alike for every visit metric: its entry event's values and its entry and
 * exit pages (the visit metrics' breakdowns, as their cells are cut). Any other dimension filters
 * visits by their events: a visit that viewed /pricing.
 */
const VISIT_DIMENSIONS: readonly BreakdownDimension[] = [...new Set(METRICS.flatMap((m) => ('visit' in m ? m.breakdowns : [])))];

/** A goal metric's `goal`: the events completing that goal (filter), or one series per goal (breakdown). */
export type GoalCut = { kind: 'goal' };

/** Where the raw path reads a dimension for `metric`: visit metrics also read their visits' entry and exit pages, goal metrics their goals. */
export function rawDimensionOf(metric: MetricDeclaration, dimension: BreakdownDimension): RawDimension | VisitPage | GoalCut | null {
  if (metric.visit && dimension === 'visit.entry_page') return { kind: 'visit', page: 'entry' };
  if (metric.visit && dimension === 'visit.exit_page') return { kind: 'visit', page: 'exit' };
  if (metric.goal && dimension === 'goal') return { kind: 'goal' };
  return rawDimension(dimension);
}

function rawMeasure(metric: MetricDeclaration, visitTimeoutMs: number): RawMeasure {
  const m = metric.measure;
  if (metric.visit) return { kind: 'visit', fact: metric.visit, timeoutMs: visitTimeoutMs };
  if (m.kind === 'sum') return { kind: 'sum', property: m.property, decimals: m.decimals };
  if (m.kind === 'unique') return m.identity === 'user' ? { kind: 'unique_person' } : { kind: 'unique_session' };
  if (m.kind === 'topk') return { kind: 'topk', paths: m.property };
  return { kind: 'count' };
}

/** A query the raw events answer: its filters on several dimensions (or one beside a breakdown by another). */
export type RawPanelQuery = PanelQuery & { combined: readonly DimensionFilter[] };

export interface RawAnswerOptions {
  /** The tenant's visit timeout, for visit metrics; default 30 minutes. */
  visitTimeoutMs?: number;
  /** The tenant's goal definitions, for goal metrics (none: no event completes a goal). */
  goals?: readonly GoalDefinition[];
}

/** What one query asks of the raw events. */
function partOf(query: RawPanelQuery, options: RawAnswerOptions): FilteredMetricPart {
  const { metric } = query;
  const filter = metric.filter as { types?: readonly string[]; events?: readonly string[] };
  const cut = (dimension: BreakdownDimension) => rawDimensionOf(metric, dimension)!;
  const goalFilter = query.combined.find((f) => cut(f.dimension).kind === 'goal');
  const byGoal = query.breakdown !== undefined && cut(query.breakdown).kind === 'goal';
  const filters = query.combined.filter((f) => f !== goalFilter);
  return {
    measure: rawMeasure(metric, options.visitTimeoutMs ?? DEFAULT_VISIT_TIMEOUT_MS),
    ...(filter.types ? { types: filter.types } : {}),
    ...(filter.events ? { events: filter.events } : {}),
    ...(metric.filter.bots === 'only' ? { bots: true } : {}),
    filters: filters.map((f) => ({
      dimension: cut(f.dimension) as RawDimension | VisitPage,
      value: f.value,
      // A visit's own dimensions are its entry event's (as the cells cut it); any other holds on some event of the visit.
      scope: metric.visit && !VISIT_DIMENSIONS.includes(f.dimension) ? ('any' as const) : ('entry' as const),
    })),
    ...(query.breakdown && !byGoal ? { breakdown: cut(query.breakdown) as RawDimension | VisitPage } : {}),
    ...(metric.goal ? { goals: { definitions: options.goals ?? [], ...(goalFilter ? { only: goalFilter.value } : {}), ...(byGoal ? { byGoal: true } : {}) } } : {}),
    buckets: seriesBuckets(query),
    limit: query.limit,
  };
}

/**
 * A combined-filter query answered exactly from the raw events, in the shape of a cell answer:
 * the same local periods, breakdown values ranked over the range and cut to `limit`.
 */
export async function answerFromRawEvents(connection: DuckDBConnection, lake: LakeStore, query: RawPanelQuery, now: number, options: RawAnswerOptions = {}): Promise<PanelAnswer> {
  return (await answerAllFromRawEvents(connection, lake, [query], now, options))[0]!;
}

/**
 * Several queries of one tenant (a ratio's two sides, a period and its comparison) answered from
 * one read of the raw events in one DuckDB statement, each in the shape of a cell answer.
 */
export async function answerAllFromRawEvents(connection: DuckDBConnection, lake: LakeStore, queries: readonly RawPanelQuery[], now: number, options: RawAnswerOptions = {}): Promise<PanelAnswer[]> {
  const tenants = new Set(queries.map((q) => q.tenantId));
  if (tenants.size > 1) throw new Error('One read of the raw events answers one tenant');
  const parts = queries.map((q) => partOf(q, options));
  const { results, freshness } = await filteredMetrics(connection, lake, queries[0]?.tenantId ?? '', parts);
  return queries.map((query, k) => shapeAnswer(query, parts[k]!.buckets, results[k]!, freshness, now));
}

function shapeAnswer(query: RawPanelQuery, buckets: FilteredMetricPart['buckets'], result: FilteredMetricAnswer, freshness: RawFreshness, now: number): PanelAnswer {
  const { metric } = query;
  const values = query.breakdown
    ? [...result.totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, query.limit).map(([v]) => v)
    : undefined;
  const decimals = metric.measure.kind === 'sum' ? metric.measure.decimals : undefined;
  const through = freshness.through === null ? null : Date.parse(freshness.through);
  return {
    metric: metric.name,
    kind: metric.measure.kind,
    granularity: query.granularity,
    timeZone: query.timeZone,
    from: formatLocal(buckets[0]?.start ?? query.from, query.timeZone),
    to: formatLocal(buckets.at(-1)?.end ?? query.to, query.timeZone),
    ...(decimals === undefined ? {} : { decimals }),
    series: buckets.map((bucket, i) => ({
      start: formatLocal(bucket.start, query.timeZone),
      end: formatLocal(bucket.end, query.timeZone),
      value: result.points[i]!.value,
      ...(result.top ? { top: result.points[i]!.top ?? [] } : {}),
      ...(values ? { breakdown: Object.fromEntries(values.map((v) => [v, result.points[i]!.breakdown.get(v) ?? 0])) } : {}),
    })),
    total: { value: result.total, ...(result.top ? { top: result.top } : {}) },
    ...(query.breakdown && values ? { breakdown: { dimension: query.breakdown, values } } : {}),
    filters: [...query.combined],
    served: 'raw events',
    // The raw store is as fresh as the archiver's last flush: `through` is the last receipt read.
    freshness: { lastEventTime: freshness.through, lagMs: through === null ? null : Math.max(0, now - through), late: 0, rejected: 0, ...freshness },
  };
}
