import { z } from 'zod';
import { badRequest } from '@shop/platform';
import { type BreakdownDimension, findMetric, type MetricDeclaration, RATIOS, RESOLUTION_MS } from '../contracts/index.ts';
import type { QueryTenant } from './read-key.ts';
import type { Granularity, MetricQuery } from '../serving/index.ts';
import { type DimensionFilter, filterDimensions, MAX_FILTERS, type PanelQuery, parseFilters, RAW_DIMENSION_NAMES, rawDimensionOf } from './combined-filter.ts';
import { isTimeZone, parseBound } from '../calendar/index.ts';

/** `filter=dimension:value`, repeated; a single one arrives as a string. */
export const filterList = z.preprocess(
  (v) => (v === undefined || Array.isArray(v) ? v : [v]),
  z
    .array(z.string().max(300).regex(/^[\w.]+:.+$/s, { message: 'must be dimension:value, e.g. country:FR or browser:Firefox' }))
    .max(MAX_FILTERS, { message: `at most ${MAX_FILTERS} filters` }),
);

export const queryString = z.object({
  metric: z.string().min(1).max(100),
  granularity: z.enum(['minute', 'hour', 'day']).default('hour'),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  tz: z.string().max(64).refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Paris' }).optional(),
  breakdown: z.string().max(100).optional(),
  filter: filterList
    .optional()
    .describe(`Only events whose dimension has this value, as dimension:value (any breakdown of the metric, e.g. country:FR); repeat for several (all must hold), at most ${MAX_FILTERS}`),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  compare: z.enum(['previous']).optional().describe('also answer the period of equal length just before'),
  compareFrom: z.string().max(40).optional().describe('start of a chosen period to compare with (with compareTo)'),
  compareTo: z.string().max(40).optional(),
});
/** Parsed parameters; a caller may give one filter as a string. */
export type QueryString = Omit<z.infer<typeof queryString>, 'filter'> & { filter?: string | readonly string[] | undefined };

const DEFAULT_SPAN: Record<Granularity, number> = { minute: 60 * 60_000, hour: 24 * 3_600_000, day: 7 * 24 * 3_600_000 };
/** Caps on stored buckets read per request: a day of minutes, 45 days of quarter hours. */
const MAX_SOURCES: Record<Granularity, number> = { minute: 24 * 60, hour: 45 * 96, day: 45 * 96 };

/**
 * What the speed layer alone can answer: minutes and quarter hours younger than these. Behind the
 * serving layer `quarterMs` is left out: older quarters come from the batch views, and the
 * serving layer itself refuses a period neither layer holds.
 */
export interface SpeedReach {
  minuteMs: number;
  quarterMs?: number;
}

/** Checks what the schema cannot (known metric, allowed breakdown, range) and names the parameter at fault. */
export function toMetricQuery(
  params: QueryString,
  tenant: QueryTenant,
  metrics: readonly MetricDeclaration[],
  retention: SpeedReach,
  now: number,
): PanelQuery {
  const metric = findMetric(params.metric, metrics);
  if (!metric) {
    const names = [...metrics.map((m) => m.name), ...RATIOS.map((r) => r.name)];
    throw badRequest(`metric: unknown metric "${params.metric}"; one of ${names.join(', ')}`, { field: 'metric' });
  }
  const timeZone = params.tz ?? tenant.timeZone;
  const granularity = params.granularity;
  const to = params.to === undefined ? now : parseBound(params.to, timeZone);
  if (to === null) throw badRequest('to: must be an ISO 8601 instant or a local date / date-time', { field: 'to' });
  const from = params.from === undefined ? to - DEFAULT_SPAN[granularity] : parseBound(params.from, timeZone);
  if (from === null) throw badRequest('from: must be an ISO 8601 instant or a local date / date-time', { field: 'from' });
  if (from >= to) throw badRequest('from: must be before to', { field: 'from' });
  const width = granularity === 'minute' ? RESOLUTION_MS.minute : RESOLUTION_MS.quarter;
  // Periods are padded to whole local days, so allow a day of slack over the cap.
  if ((to - from) / width > MAX_SOURCES[granularity]) {
    throw badRequest(`from: the range holds more than ${MAX_SOURCES[granularity]} ${granularity === 'minute' ? 'minutes' : 'quarter hours'}; narrow it or use a coarser granularity`, { field: 'from' });
  }
  const kept = granularity === 'minute' ? retention.minuteMs : retention.quarterMs;
  if (kept !== undefined && from < now - kept) {
    // An expired bucket would read as zero: refuse rather than undercount. The batch views
    // hold quarter hours only, so minutes are never older than the speed layer keeps them.
    const older = granularity === 'minute' ? 'use granularity=hour or day for older ranges' : 'older ranges come from the batch views';
    throw badRequest(`from: the speed layer keeps ${granularity === 'minute' ? 'minutes' : 'quarter hours'} for ${Math.round(kept / 3_600_000)} h; ${older}`, { field: 'from' });
  }
  let breakdown: BreakdownDimension | undefined;
  if (params.breakdown !== undefined) {
    breakdown = metric.breakdowns.find((b) => b === params.breakdown);
    if (!breakdown) {
      throw badRequest(`breakdown: ${metric.name} can be broken down by ${metric.breakdowns.join(', ') || 'nothing'}`, { field: 'breakdown' });
    }
  }
  const filters = parseFilters(params.filter, filterDimensions(metric), metric.name);
  const limit = params.limit ?? (metric.measure.kind === 'topk' ? metric.measure.k : 10);
  const base = { tenantId: tenant.id, metric, from, to, granularity, timeZone, breakdown, limit };
  const [only] = filters;
  // Stored cells hold one dimension each: one filter by a breakdown reads that dimension's cells,
  // which also serve a breakdown by it. Anything more is counted from the raw events.
  if (filters.length === 0) return base;
  if (filters.length === 1 && metric.breakdowns.includes(only!.dimension) && (breakdown === undefined || breakdown === only!.dimension)) return { ...base, filter: only! };
  checkCombinable(metric, filters, breakdown);
  return { ...base, combined: filters };
}

/** The dimensions the raw path reads; any other is refused by name. */
function checkCombinable(metric: MetricDeclaration, filters: readonly DimensionFilter[], breakdown: BreakdownDimension | undefined): void {
  for (const f of filters) {
    if (!rawDimensionOf(metric, f.dimension)) throw badRequest(`filter: ${f.dimension} cannot be combined with other filters or breakdowns; combined filters take ${rawNames(metric)}`, { field: 'filter' });
  }
  if (breakdown !== undefined && !rawDimensionOf(metric, breakdown)) {
    throw badRequest(`breakdown: ${breakdown} cannot be combined with filters on other dimensions; combined filters break down by ${rawNames(metric)}`, { field: 'breakdown' });
  }
}

const rawNames = (metric: MetricDeclaration) => [...RAW_DIMENSION_NAMES, ...(metric.visit ? ['visit.entry_page', 'visit.exit_page'] : []), ...(metric.goal ? ['goal'] : [])].join(', ');

/**
 * The period to compare with: the one of equal length just before (`compare=previous`), or the
 * chosen `compareFrom`..`compareTo`; null without either.
 */
export function comparisonRange(params: QueryString, query: MetricQuery): { from: number; to: number } | null {
  if (params.compareFrom !== undefined || params.compareTo !== undefined) {
    if (params.compare !== undefined) throw badRequest('compare: give compare=previous or compareFrom/compareTo, not both', { field: 'compare' });
    const from = params.compareFrom === undefined ? null : parseBound(params.compareFrom, query.timeZone);
    if (from === null) throw badRequest('compareFrom: must be an ISO 8601 instant or a local date / date-time (with compareTo)', { field: 'compareFrom' });
    const to = params.compareTo === undefined ? null : parseBound(params.compareTo, query.timeZone);
    if (to === null) throw badRequest('compareTo: must be an ISO 8601 instant or a local date / date-time (with compareFrom)', { field: 'compareTo' });
    if (from >= to) throw badRequest('compareFrom: must be before compareTo', { field: 'compareFrom' });
    if (to - from > query.to - query.from + 2 * 86_400_000) throw badRequest('compareTo: the compared period may not be longer than the queried one', { field: 'compareTo' });
    return { from, to };
  }
  return params.compare === 'previous' ? { from: query.from - (query.to - query.from), to: query.from } : null;
}
