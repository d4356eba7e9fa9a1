import { jsonScript } from '@shop/platform/html';
import type { QueryAnswer } from '@shop/sdk/analytics';
import type { FirstPaint } from './first-paint.ts';
import { HANDOVER_ID, type Handover } from './public/handover.js';

/** The page reads a top list's total alone: each period's own list (most of such an answer's bytes) stays out. */
const withoutPeriodTops = (answer: QueryAnswer): QueryAnswer => (answer.total.top ? { ...answer, series: answer.series.map(({ top: _top, ...point }) => point) } : answer);

/**
 * What the server asked and answered for a painted page, for the page's script to start from
 * instead of asking the same questions again: the view and range parameters the answers are
 * for, the catalogue that decided each panel's filters, the answers by panel, and when they were
 * asked (each answer carries its own B, `watermark`). An inert JSON data block: the browser never
 * runs it (and the CSP runs only the page's own files), and `<` is escaped, so no value sent with
 * an event (a page path, a referrer) can close the element or open another. A top list's
 * answer comes without each period's own list, which the page never shows.
 */
export function handoverBlock(paint: FirstPaint, now: number): string {
  const { view, results } = paint;
  const handover: Handover = {
    asOf: new Date(now).toISOString(),
    watermark: (results.events ?? results.pageviews)?.watermark ?? null,
    view: { range: view.range, custom: view.custom, compare: view.compare, filters: view.filters, breakdown: `${view.breakdown.metric}|${view.breakdown.dimension}` },
    params: view.params,
    catalogue: paint.catalogue,
    results: Object.fromEntries(Object.entries(results).map(([name, answer]) => [name, withoutPeriodTops(answer)])),
  };
  return `<script type="application/json" id="${HANDOVER_ID}">${jsonScript(handover).value}</script>`;
}
