import { escapeHtml } from '@shop/platform/html';
import { DIMENSION_LABELS, breakdownTotals } from './public/breakdown.js';
import { boundaryNote, layerOfPoints } from './public/chart.js';
import { formatValue, percent, periodRange, zonedLabel } from './public/format.js';
import { deltaText, formatMetric, freshnessOf, freshnessTexts, HEADLINES, LABELS } from './public/panels.js';
import type { Filter } from './public/panels.js';
import type { FirstPaint } from './first-paint.ts';
import { handoverBlock } from './handover.ts';
import { type Cell, PageTemplate, rowsHtml } from './page-template.ts';

/** The address of this view with other filters (the rest of the query string kept as it is). */
function withFilters(search: string, filters: Filter[]): string {
  const q = new URLSearchParams(search);
  q.delete('filter');
  for (const f of filters) q.append('filter', `${f.dimension}:${f.value}`);
  return `/dashboard?${q}`;
}

/** The forms that post the key or forget it come back to this view. */
function keepView(page: PageTemplate, search: string): PageTemplate {
  return page.attr('key-view', 'value', search).attr('forget-view', 'value', search);
}

/** The page asking for a key: what a first visit, a forgotten key or a refused one gets. */
export function paintKeyPanel(template: string, search: string, problem?: string): string {
  const page = keepView(new PageTemplate(template), search).show('key-panel');
  if (problem) page.text('problem', problem).show('problem');
  return page.toString();
}

/**
 * The dashboard with the numbers of `paint` in place: headline cards (with their change against
 * the period before), the chart's table, freshness, top pages and referrers, the breakdown and
 * the filters, as the page's script would fill them, and the answers they came from (handover.ts)
 * for the script to take over. The chart itself, reconciliation, goals, funnel and retention are
 * drawn by the script.
 */
export function paintDashboard(template: string, paint: FirstPaint, options: { search: string; shared: boolean; now: number }): string {
  const { view, results, catalogue } = paint;
  const label = (dimension: string) => catalogue?.dimensions.find((d) => d.name === dimension)?.label ?? DIMENSION_LABELS[dimension] ?? dimension;
  const page = keepView(new PageTemplate(template.replace('<body>', '<body data-painted="server">')), options.search);
  page.show('dashboard').show('range-form').show('forget-key', !options.shared);
  for (const range of ['hour', 'day', 'month', 'custom']) page.attr(`range-${range}`, 'checked', range === view.range);
  page.show('custom-range', view.range === 'custom').attr('range-from', 'value', view.custom.from ?? '').attr('range-to', 'value', view.custom.to ?? '');
  page.attr('compare', 'checked', view.compare);
  if (paint.problem) page.text('problem', paint.problem).show('problem');

  const any = results.events ?? results.pageviews;
  if (any) {
    page.text('zone', `Times in ${any.timeZone}`).show('zone');
    const fresh = freshnessTexts(freshnessOf(any), 0, options.now);
    page.text('fresh-event', fresh.event).text('fresh-speed', fresh.speed).text('fresh-batch', fresh.batch).text('fresh-late', fresh.late);
    page.text('live', `Numbers of ${zonedLabel(new Date(options.now).toISOString(), any.timeZone)}: reload for newer ones`);
  }

  for (const metric of HEADLINES) {
    const result = results[metric];
    page.text(`value-${metric}`, result ? formatMetric(metric, result.total.value, result.decimals) : '—').text(`delta-${metric}`, deltaText(metric, result));
  }

  const chart = results[view.chartMetric];
  page.text('chart-title', LABELS[view.chartMetric] ?? view.chartMetric);
  if (chart) {
    const layers = layerOfPoints(chart);
    const rows: Cell[][] = chart.series.map((point, i) => [
      periodRange(point.start, point.end, chart.granularity),
      { text: formatMetric(view.chartMetric, point.value, chart.decimals), className: 'num' },
      layers[i] === 'mixed' ? 'both' : (layers[i] ?? 'speed'),
    ]);
    page.inner('chart-rows', rowsHtml(rows, 'No periods.', 3)).text('boundary-note', boundaryNote(chart));
  }

  const top = (id: string, name: string, empty: string) => {
    const result = results[name];
    if (result) page.inner(id, rowsHtml((result.total.top ?? []).map((t) => [t.item, { text: formatValue(t.count), className: 'num' }]), empty, 2));
  };
  top('top-pages', 'top_pages', 'No page views in this range.');
  top('top-referrers', 'top_referrers', 'No referrers in this range.');

  const { metric, dimension } = view.breakdown;
  page.text('breakdown-dimension', label(dimension));
  const breakdown = results.breakdown;
  if (breakdown) {
    const rows: Cell[][] = breakdownTotals(breakdown).map((r) => [
      {
        text: r.value,
        href: withFilters(options.search, [...view.filters.filter((f) => f.dimension !== dimension), { dimension, value: r.value }].slice(-5)),
        label: `Filter every panel by ${label(dimension)} ${r.value}`,
      },
      { text: formatValue(r.total, breakdown.decimals), className: 'num' },
      { text: percent(r.total, breakdown.total.value), className: 'num' },
    ]);
    page.inner('breakdown-rows', rowsHtml(rows, `No ${LABELS[metric]?.toLowerCase() ?? metric} with a ${label(dimension).toLowerCase()} in this range.`, 3));
  }

  if (view.filters.length) {
    page.show('filters').inner(
      'filter-chips',
      view.filters
        .map((f) => {
          const remove = withFilters(options.search, view.filters.filter((g) => g !== f));
          return `<li>${escapeHtml(`${label(f.dimension)} is “${f.value}” `)}<a href="${escapeHtml(remove)}" aria-label="${escapeHtml(`Remove filter ${label(f.dimension)} ${f.value}`)}">×</a></li>`;
        })
        .join(''),
    );
  }
  let html = page.toString();
  // The charted metric's card is the pressed one.
  html = html.replace(/data-metric="([a-z_]+)" aria-pressed="(true|false)"/g, (_all, m: string) => `data-metric="${m}" aria-pressed="${m === view.chartMetric}"`);
  // The answers themselves, for the script to start from (it asks again only when the view changes or on its live cycle).
  const end = html.lastIndexOf('</body>');
  return `${html.slice(0, end)}${handoverBlock(paint, options.now)}\n${html.slice(end)}`;
}
