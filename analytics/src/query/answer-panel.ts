import { findRatio, type MetricDeclaration, type RatioDeclaration } from '../contracts/index.ts';
import type { MetricResult } from '../serving/index.ts';
import { type PanelAnswer, type PanelQuery, rawDimensionOf, type RawPanelQuery } from './combined-filter.ts';
import { comparisonRange, toMetricQuery, type QueryString, type SpeedReach } from './query-params.ts';
import type { QueryTenant } from './read-key.ts';

/**
 * Answers one metric query from whichever layers hold it (the serving layer, or the speed layer
 * alone). With `together`, the raw-event queries of one panel (a ratio's two sides, the compared
 * period) are answered from one read of the raw events instead of one read each.
 */
export type Answer = ((query: PanelQuery, at: number) => Promise<PanelAnswer>) & {
  together?: (queries: readonly RawPanelQuery[], at: number) => Promise<PanelAnswer[]>;
};

export type PanelResult = PanelAnswer & {
  /** The same metric over the compared period, point for point from its start. */
  comparison?: Pick<MetricResult, 'from' | 'to' | 'series' | 'total'>;
  /** For a ratio: the two declared metrics it divides. */
  ratio?: { numerator: string; denominator: string };
};

/**
 * What one dashboard panel (or API call) shows: a declared metric or a ratio of two, optionally
 * filtered on breakdown values (AND), with the compared period when asked.
 *
 * @example
 * await answerPanel(answer, { metric: 'bounce_rate', granularity: 'day', from: '2026-03-01', to: '2026-03-31', compare: 'previous' }, tenant, METRICS, reach, Date.now());
 */
export async function answerPanel(answer: Answer, params: QueryString, tenant: QueryTenant, metrics: readonly MetricDeclaration[], reach: SpeedReach, at: number): Promise<PanelResult> {
  const ratio = findRatio(params.metric);
  const sides = ratio
    ? [toMetricQuery({ ...params, metric: ratio.numerator }, tenant, metrics, reach, at), toMetricQuery({ ...denominatorParams(ratio, params), metric: ratio.denominator }, tenant, metrics, reach, at)]
    : [toMetricQuery(params, tenant, metrics, reach, at)];
  // The denominator's range (the metric's own without a ratio) sets the compared period.
  const compared = comparisonRange(params, sides.at(-1)!);
  const asked = sides.flatMap((query) => (compared ? [query, { ...query, ...compared }] : [query]));
  // The period and its comparison, both sides of a ratio, are read at once: a panel costs its slowest read, not their sum.
  const answers = await answerAll(answer, sameSource(asked), at);
  const period = (r: number): PanelAnswer => {
    const of = (side: number) => answers[side * (compared ? 2 : 1) + r]!;
    return ratio ? divide(ratio, of(0), of(1)) : of(0);
  };
  const main = period(0);
  const comparison = compared ? period(1) : undefined;
  return {
    ...main,
    ...(comparison ? { comparison: { from: comparison.from, to: comparison.to, series: comparison.series, total: comparison.total } } : {}),
    ...(ratio ? { ratio: { numerator: ratio.numerator, denominator: ratio.denominator } } : {}),
  };
}

/**
 * When one query of a panel is answered from the raw events, every other one the raw events can
 * answer is too: a ratio then divides two exact counts of the same events read at one moment, not
 * an exact count by a cell's estimate (a goal's converting people filtered by goal and country over
 * the unique people of that country, whose one filter alone the cells would answer).
 */
function sameSource(queries: readonly PanelQuery[]): PanelQuery[] {
  if (!queries.some((q) => q.combined)) return [...queries];
  return queries.map((query) => {
    if (query.combined) return query;
    const { filter, ...rest } = query;
    const combined = filter ? [filter] : [];
    const readable = [...combined.map((f) => f.dimension), ...(query.breakdown ? [query.breakdown] : [])].every((d) => rawDimensionOf(query.metric, d));
    return readable ? { ...rest, combined } : query;
  });
}

/** Each query's answer, in order: the raw-event ones together in one read when the answerer can. */
async function answerAll(answer: Answer, queries: readonly PanelQuery[], at: number): Promise<PanelAnswer[]> {
  const raw = queries.filter((q): q is RawPanelQuery => q.combined !== undefined);
  if (!answer.together || raw.length < 2) return Promise.all(queries.map((q) => answer(q, at)));
  const [fromRaw, fromCells] = await Promise.all([answer.together(raw, at), Promise.all(queries.filter((q) => !q.combined).map((q) => answer(q, at)))]);
  let r = 0;
  let c = 0;
  return queries.map((q) => (q.combined ? fromRaw[r++]! : fromCells[c++]!));
}

/**
 * Throws the 400 `answerPanel` would, without reading anything: for a stream's parameters, checked
 * once up front. True when the raw events would answer (combined filters).
 */
export function checkPanel(params: QueryString, tenant: QueryTenant, metrics: readonly MetricDeclaration[], reach: SpeedReach, at: number): boolean {
  const ratio = findRatio(params.metric);
  let raw = false;
  for (const [metric, p] of ratio ? ([[ratio.numerator, params], [ratio.denominator, denominatorParams(ratio, params)]] as const) : ([[params.metric, params]] as const)) {
    const query = toMetricQuery({ ...p, metric }, tenant, metrics, reach, at);
    comparisonRange(params, query);
    raw ||= query.combined !== undefined;
  }
  return raw;
}

/** The denominator's parameters: without the breakdown and filter by the dimension it does not have (`whole`). */
function denominatorParams(ratio: RatioDeclaration, params: QueryString): QueryString {
  if (!ratio.whole) return params;
  const { breakdown, filter, ...rest } = params;
  const filters = (filter === undefined ? [] : typeof filter === 'string' ? [filter] : filter).filter((f) => !f.startsWith(`${ratio.whole}:`));
  return { ...rest, ...(breakdown !== undefined && breakdown !== ratio.whole ? { breakdown } : {}), ...(filters.length ? { filter: filters } : {}) };
}

/**
 * Point by point and over the range: the numerator's sum over the denominator's (0 where it is
 * 0). Against a whole denominator each breakdown value is divided by the point's whole.
 */
function divide(ratio: RatioDeclaration, numerator: PanelAnswer, denominator: PanelAnswer): PanelAnswer {
  const of = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const byWhole = ratio.whole !== undefined && numerator.breakdown?.dimension === ratio.whole;
  // Each value over its own denominator, or, broken down by the whole's dimension, over the point's whole.
  const breakdownOf = (point: PanelAnswer['series'][number], top: MetricResult['series'][number] | undefined) => {
    if (byWhole) return { breakdown: Object.fromEntries(Object.entries(top?.breakdown ?? {}).map(([k, n]) => [k, of(n, point.value)])) };
    return point.breakdown ? { breakdown: Object.fromEntries(Object.entries(point.breakdown).map(([k, d]) => [k, of(top?.breakdown?.[k] ?? 0, d)])) } : {};
  };
  return {
    ...denominator,
    ...(byWhole && numerator.breakdown ? { breakdown: numerator.breakdown } : {}),
    // A filter by the whole's dimension narrowed the numerator only: the answer says so.
    ...(ratio.whole && numerator.filter ? { filter: numerator.filter } : {}),
    ...(ratio.whole && numerator.filters ? { filters: numerator.filters } : {}),
    metric: ratio.name,
    kind: 'ratio',
    series: denominator.series.map((point, i) => {
      const top = numerator.series[i];
      return { start: point.start, end: point.end, value: of(top?.value ?? 0, point.value), ...breakdownOf(point, top) };
    }),
    total: { value: of(numerator.total.value, denominator.total.value) },
  };
}
