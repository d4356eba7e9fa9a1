import type { AnalyticsClient, QueryAnswer } from '@shop/sdk/analytics';
import { type Catalogue, DEFAULT_BREAKDOWN, defaultCustom, HEADLINES, panelParams, type RangeParams, rangeParams } from './public/panels.js';
import type { ViewState } from './public/view-state.js';

/** The view the first paint shows: the address bar's view with the page's defaults filled in. */
export interface PaintedView {
  range: 'hour' | 'day' | 'month' | 'custom';
  custom: { from: string | null; to: string | null };
  compare: boolean;
  filters: ViewState['filters'];
  chartMetric: string;
  breakdown: { metric: string; dimension: string };
  params: RangeParams;
}

export interface FirstPaint {
  view: PaintedView;
  catalogue: Catalogue | null;
  /** The answers by panel (each headline metric, `top_pages`, `top_referrers`, `breakdown`). */
  results: Record<string, QueryAnswer>;
  /** The key was refused (unknown, revoked, expired, out of scope): the page asks for another. */
  refused?: { status: number; message: string };
  /** What kept some panel from its numbers (a period no layer holds, a bad parameter, an outage). */
  problem?: string;
}

interface ErrorBody {
  error?: string;
  message?: string;
}

export function paintedView(state: ViewState, now: number): PaintedView {
  const range = state.range ?? 'day';
  const custom = range === 'custom' && !(state.from && state.to) ? defaultCustom(now) : { from: state.from, to: state.to };
  const [metric = 'pageviews', dimension = ''] = DEFAULT_BREAKDOWN.split('|');
  return {
    range,
    custom,
    compare: state.compare,
    filters: state.filters,
    chartMetric: state.metric && HEADLINES.includes(state.metric) ? state.metric : 'events',
    breakdown: { metric, dimension },
    params: rangeParams(range, custom, now),
  };
}

/**
 * The panels' answers for the first paint, asked through the SDK exactly as the page asks them
 * (same parameters from panels.js), all at once; with filters, after the catalogue that decides
 * which each panel takes. A refused key gives no numbers; other failures leave their panel empty.
 */
export async function loadFirstPaint(client: AnalyticsClient, view: PaintedView): Promise<FirstPaint> {
  const metrics = client.GET('/v1/metrics');
  // Without filters no panel's question depends on the catalogue: all are asked at once.
  const known = view.filters.length ? await metrics : undefined;
  const catalogue = (known?.data ?? null) as Catalogue | null;
  const shape = { catalogue, filters: view.filters, compare: view.compare, range: view.params };
  const asks: Record<string, ReturnType<typeof panelParams>> = {
    ...Object.fromEntries(HEADLINES.map((metric) => [metric, panelParams(shape, metric)])),
    top_pages: panelParams(shape, 'top_pages'),
    top_referrers: panelParams(shape, 'top_referrers'),
    breakdown: panelParams(shape, view.breakdown.metric, { breakdown: view.breakdown.dimension, limit: 10 }),
  };
  const [catalogueAnswer, answers] = await Promise.all([
    metrics,
    Promise.all(Object.entries(asks).map(async ([name, query]) => [name, await client.GET('/v1/query', { params: { query } })] as const)),
  ]);
  if (catalogueAnswer.response.status === 401 || catalogueAnswer.response.status === 403) {
    const { status } = catalogueAnswer.response;
    return { view, catalogue: null, results: {}, refused: { status, message: messageOf(catalogueAnswer.error, status) } };
  }
  const results: Record<string, QueryAnswer> = {};
  const problems: Array<{ status: number; body: ErrorBody | undefined }> = [];
  for (const [name, answer] of answers) {
    if (answer.data) results[name] = answer.data;
    else problems.push({ status: answer.response.status, body: answer.error as ErrorBody | undefined });
  }
  const refusal = problems.find((p) => p.status === 401 || p.status === 403);
  if (refusal) return { view, catalogue: null, results: {}, refused: { status: refusal.status, message: messageOf(refusal.body, refusal.status) } };
  // The most telling failure first, as the page orders them: a period no layer holds, a bad request, an outage.
  const rank = (p: (typeof problems)[number]) => (p.body?.error === 'PERIOD_NOT_COVERED' ? 0 : p.status < 500 && p.status !== 429 ? 1 : 2);
  const worst = problems.sort((a, b) => rank(a) - rank(b))[0];
  return { view, catalogue: (catalogueAnswer.data as Catalogue | undefined) ?? null, results, ...(worst ? { problem: messageOf(worst.body, worst.status) } : {}) };
}

function messageOf(body: unknown, status: number): string {
  const said = (body as ErrorBody | undefined)?.message;
  return typeof said === 'string' && said ? said : `The analytics API answered ${status}.`;
}
