import { formatValue, periodRange, zonedLabel } from './format.js';
import { fillRows } from './tables.js';

/**
 * The /v1/reconciliation answer per metric: how many quarter hours were compared, how many
 * drifted past their tolerance, the largest drift; and the flagged quarter hours themselves.
 */
export function summariseDrift(records) {
  const byMetric = new Map();
  for (const r of records) {
    const s = byMetric.get(r.metric) ?? { metric: r.metric, checked: 0, flagged: 0, maxDrift: 0, lastChecked: '' };
    s.checked++;
    if (r.flagged) s.flagged++;
    if (Math.abs(r.drift) > Math.abs(s.maxDrift)) s.maxDrift = r.drift;
    if (r.checkedAt > s.lastChecked) s.lastChecked = r.checkedAt;
    byMetric.set(r.metric, s);
  }
  return [...byMetric.values()].sort((a, b) => b.flagged - a.flagged || a.metric.localeCompare(b.metric));
}

// Sums are stored in minor units with two decimals (revenue); the drift of a sum is shown the same way.
const decimalsOf = (record) => (record.kind === 'sum' ? 2 : 0);

export function renderDrift(elements, answer) {
  const summary = summariseDrift(answer.records);
  const flagged = answer.records.filter((r) => r.flagged);
  elements.summary.textContent =
    answer.records.length === 0
      ? 'Nothing compared yet: the speed layer and the batch views are compared once the batch covers a period both hold.'
      : `${answer.records.length} comparisons of the speed layer with the batch views; ${flagged.length} flagged.`;
  fillRows(
    elements.rows,
    summary.map((s) => [
      s.metric,
      { text: String(s.checked), className: 'num' },
      { text: String(s.flagged), className: s.flagged ? 'num bad' : 'num' },
      { text: s.maxDrift === 0 ? '0' : (s.maxDrift > 0 ? '+' : '') + String(s.maxDrift), className: s.maxDrift ? 'num bad' : 'num' },
      zonedLabel(s.lastChecked, answer.timeZone),
    ]),
    'No comparisons in the last 24 hours.',
  );
  elements.flaggedDetails.hidden = flagged.length === 0;
  fillRows(
    elements.flagged,
    flagged.slice(0, 100).map((r) => [
      r.metric,
      periodRange(r.start, r.end, 'minute'),
      { text: formatValue(r.speed, decimalsOf(r)), className: 'num' },
      { text: formatValue(r.batch, decimalsOf(r)), className: 'num' },
      { text: formatValue(r.drift, decimalsOf(r)), className: 'num bad' },
      { text: Number.isInteger(r.tolerance) ? String(r.tolerance) : r.tolerance.toFixed(1), className: 'num' },
    ]),
    'None flagged.',
  );
}
