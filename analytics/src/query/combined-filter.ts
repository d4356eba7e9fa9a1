import type { DuckDBConnection } from '@duckdb/node-api';
import { badRequest } from '@shop/platform';
import { type BreakdownDimension, EVENT_DIMENSION_NAMES, isEventDimension, METRICS } from '../contracts/index.ts';
import { filteredMetric, type LakeStore, type RawDimension, type RawMeasure } from '../batch/index.ts';
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

/** Declared metrics the raw path counts: per-event counts and sums, and distinct people. */
export const COMBINABLE: readonly string[] = METRICS.filter(
  (m) => !('visit' in m) && !('goal' in m) && (m.measure.kind === 'count' || m.measure.kind === 'sum' || (m.measure.kind === 'unique' && m.measure.identity === 'user')) && !('bots' in m.filter),
).map((m) => m.name);

function rawMeasure(query: MetricQuery): RawMeasure {
  const m = query.metric.measure;
  if (m.kind === 'sum') return { kind: 'sum', property: m.property, decimals: m.decimals };
  if (m.kind === 'unique') return { kind: 'unique_person' };
  return { kind: 'count' };
}

/**
 * A combined-filter query answered exactly from the raw events, in the shape of a cell answer:
 * the same local periods, breakdown values ranked over the range and cut to `limit`.
 */
export async function answerFromRawEvents(connection: DuckDBConnection, lake: LakeStore, query: PanelQuery & { combined: readonly DimensionFilter[] }, now: number): Promise<PanelAnswer> {
  const buckets = seriesBuckets(query);
  const { metric } = query;
  const filter = metric.filter as { types?: readonly string[]; events?: readonly string[] };
  const { result, freshness } = await filteredMetric(connection, lake, {
    tenantId: query.tenantId,
    measure: rawMeasure(query),
    ...(filter.types ? { types: filter.types } : {}),
    ...(filter.events ? { events: filter.events } : {}),
    filters: query.combined.map((f) => ({ dimension: rawDimension(f.dimension)!, value: f.value })),
    ...(query.breakdown ? { breakdown: rawDimension(query.breakdown)! } : {}),
    buckets,
  });
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
      ...(values ? { breakdown: Object.fromEntries(values.map((v) => [v, result.points[i]!.breakdown.get(v) ?? 0])) } : {}),
    })),
    total: { value: result.total },
    ...(query.breakdown && values ? { breakdown: { dimension: query.breakdown, values } } : {}),
    filters: [...query.combined],
    served: 'raw events',
    // The raw store is as fresh as the archiver's last flush: `through` is the last receipt read.
    freshness: { lastEventTime: freshness.through, lagMs: through === null ? null : Math.max(0, now - through), late: 0, rejected: 0, ...freshness },
  };
}
