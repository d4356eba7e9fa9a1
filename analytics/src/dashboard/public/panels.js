import { duration, formatValue, percent, zonedLabel } from './format.js';
import { dayAfter } from './view-state.js';

/**
 * What the panels ask the API and how their numbers read: one module, imported by the page and by
 * the server that paints it first, so both ask the same questions and print the same text.
 */

const DAY_MS = 24 * 3_600_000;
export const HEADLINES = ['events', 'pageviews', 'unique_users', 'visits', 'bounce_rate', 'visit_duration', 'pages_per_visit', 'revenue'];
export const LABELS = {
  events: 'Events',
  pageviews: 'Page views',
  unique_users: 'Unique users',
  visits: 'Visits',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
  pages_per_visit: 'Pages per visit',
  revenue: 'Revenue',
  orders: 'Orders',
  exits: 'Exits',
  top_pages: 'Top pages',
  top_referrers: 'Top referrers',
};
/** The metrics the breakdown panel offers, each by every dimension the API says it has. */
export const BREAKDOWN_METRICS = ['pageviews', 'visits', 'exits', 'events', 'revenue', 'orders'];
/** The breakdown shown before one is chosen (the page's first option). */
export const DEFAULT_BREAKDOWN = 'pageviews|context.campaign.source';

/** Until dates are chosen, the last seven days. */
export function defaultCustom(now = Date.now()) {
  return { from: new Date(now - 6 * DAY_MS).toISOString().slice(0, 10), to: new Date(now).toISOString().slice(0, 10) };
}

/** The range's query parameters; periods are the tenant's local minutes, hours and days (the API's default zone). */
export function rangeParams(range, custom, now = Date.now()) {
  if (range === 'hour') return { granularity: 'minute' };
  // Today and the 29 local days before it: the API widens `from` to the start of its local day.
  if (range === 'month') return { granularity: 'day', from: new Date(now - 29 * DAY_MS).toISOString() };
  if (range === 'custom') {
    // Local dates in the tenant's zone; the last day is included.
    const days = (Date.parse(custom.to) - Date.parse(custom.from)) / DAY_MS + 1;
    return { granularity: days > 2 ? 'day' : 'hour', from: custom.from, to: dayAfter(custom.to) };
  }
  return { granularity: 'hour' };
}

const ratioOf = (catalogue, metric) => catalogue?.ratios.find((r) => r.name === metric);

/** A ratio can be filtered where both its metrics can, or its numerator by its `whole` (a goal: its people over all people). */
function filterable(catalogue, metric, dimension) {
  const ratio = ratioOf(catalogue, metric);
  if (ratio) return filterable(catalogue, ratio.numerator, dimension) && (ratio.whole === dimension || filterable(catalogue, ratio.denominator, dimension));
  const m = catalogue?.metrics.find((c) => c.name === metric);
  return (m?.filters ?? m?.breakdowns)?.includes(dimension) ?? false;
}

/** Filters on several dimensions are counted from the raw events, for the metrics that allow it. */
function combinable(catalogue, metric) {
  const ratio = ratioOf(catalogue, metric);
  if (ratio) return combinable(catalogue, ratio.numerator) && combinable(catalogue, ratio.denominator);
  return catalogue?.metrics.find((m) => m.name === metric)?.combinedFilters ?? false;
}

/**
 * The filters a panel applies: those on dimensions it can be cut by; none when they would need
 * the raw events (several, or one beside a breakdown by another dimension) and it has no raw path.
 */
export function panelFilters(catalogue, filters, metric, breakdown) {
  const fs = filters.filter((f) => filterable(catalogue, metric, f.dimension));
  const cells = fs.length === 0 || (fs.length === 1 && (!breakdown || breakdown === fs[0].dimension));
  return cells || combinable(catalogue, metric) ? fs : [];
}

/** The query parameters of one panel: the range, its metric, the filters where they apply, the comparison. */
export function panelParams({ catalogue, filters, compare, range }, metric, extra = {}) {
  const fs = panelFilters(catalogue, filters, metric, extra.breakdown);
  return {
    ...range,
    metric,
    ...(fs.length ? { filter: fs.map((f) => `${f.dimension}:${f.value}`) } : {}),
    ...(compare && !extra.breakdown ? { compare: 'previous' } : {}),
    ...extra,
  };
}

/** Ratios in their own units: a share, a duration, pages with one decimal. */
export function formatMetric(metric, value, decimals) {
  if (metric === 'bounce_rate') return percent(value, 1);
  if (metric === 'visit_duration') return duration(Math.round(value));
  if (metric === 'pages_per_visit') return value.toFixed(1);
  return formatValue(value, decimals);
}

/** A headline's change against the period before, or '' without a comparison. */
export function deltaText(metric, result) {
  const before = result?.comparison?.total.value;
  if (before === undefined) return '';
  if (before === 0) return `before: ${formatMetric(metric, before, result.decimals)}`;
  const change = (result.total.value - before) / Math.abs(before);
  return `${change >= 0 ? '+' : '−'}${Math.abs(Math.round(change * 100))} % vs before`;
}

/**
 * The freshness panel's four lines from an answer's `freshness`, `watermark`, `lagMs` and `timeZone`;
 * `sinceMs` is how long ago that answer came (the ages count up between answers).
 */
export function freshnessTexts(f, sinceMs, now = Date.now()) {
  return {
    event: f.lastEventTime ? `${duration(Math.max(0, now - Date.parse(f.lastEventTime)))} ago (${zonedLabel(f.lastEventTime, f.timeZone)})` : 'No events yet',
    speed: f.lagMs === null ? 'Nothing received yet' : `Last event received ${duration(f.lagMs + sinceMs)} ago`,
    batch:
      f.watermark === undefined
        ? 'Not used'
        : f.watermark === null
          ? 'No batch views yet'
          : `Up to B = ${zonedLabel(f.watermark, f.timeZone)} · lag ${duration((f.batchLagMs ?? 0) + sinceMs)}`,
    late: `${formatValue(f.late)} late · ${formatValue(f.rejected)} rejected`,
  };
}

/** What the freshness panel reads from one answer. */
export const freshnessOf = (result) => ({ ...result.freshness, watermark: result.watermark, batchLagMs: result.lagMs, timeZone: result.timeZone });
