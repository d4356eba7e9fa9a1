import { findRatio, type MetricDeclaration, type RatioDeclaration } from '../contracts/index.ts';
import type { MetricResult } from '../serving/index.ts';
import type { PanelAnswer, PanelQuery } from './combined-filter.ts';
import { comparisonRange, toMetricQuery, type QueryString, type SpeedReach } from './query-params.ts';
import type { QueryTenant } from './read-key.ts';

/** Answers one metric query from whichever layers hold it (the serving layer, or the speed layer alone). */
export type Answer = (query: PanelQuery, at: number) => Promise<PanelAnswer>;

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
  const one = async (range?: { from: number; to: number }): Promise<PanelAnswer> => {
    if (!ratio) {
      const query = toMetricQuery(params, tenant, metrics, reach, at);
      return answer(range ? { ...query, ...range } : query, at);
    }
    const [numerator, denominator] = [params, denominatorParams(ratio, params)].map((p, i) => {
      const query = toMetricQuery({ ...p, metric: i === 0 ? ratio.numerator : ratio.denominator }, tenant, metrics, reach, at);
      return range ? { ...query, ...range } : query;
    });
    const [top, bottom] = await Promise.all([answer(numerator!, at), answer(denominator!, at)]);
    return divide(ratio, top, bottom);
  };
  const query = toMetricQuery(ratio ? { ...denominatorParams(ratio, params), metric: ratio.denominator } : params, tenant, metrics, reach, at);
  const compared = comparisonRange(params, query);
  // The period and its comparison are read at once: a panel costs its slowest read, not their sum.
  const [main, comparison] = await Promise.all([one(), compared ? one(compared) : undefined]);
  return {
    ...main,
    ...(comparison ? { comparison: { from: comparison.from, to: comparison.to, series: comparison.series, total: comparison.total } } : {}),
    ...(ratio ? { ratio: { numerator: ratio.numerator, denominator: ratio.denominator } } : {}),
  };
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
function divide(ratio: RatioDeclaration, numerator: MetricResult, denominator: PanelAnswer): PanelAnswer {
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
    ...(ratio.whole && numerator.filter ? { filter: numerator.filter, filters: [numerator.filter] } : {}),
    metric: ratio.name,
    kind: 'ratio',
    series: denominator.series.map((point, i) => {
      const top = numerator.series[i];
      return { start: point.start, end: point.end, value: of(top?.value ?? 0, point.value), ...breakdownOf(point, top) };
    }),
    total: { value: of(numerator.total.value, denominator.total.value) },
  };
}
