import type { PanelResult } from './answer-panel.ts';

/**
 * A panel as CSV (RFC 4180): a top-K panel as its items and counts, any other as one row per
 * period with each breakdown value and the compared period's value as columns. Text that a
 * spreadsheet would run as a formula is prefixed with a quote (OWASP CSV injection).
 */
export function panelCsv(result: PanelResult): string {
  const rows: Array<Array<string | number>> = [];
  if (result.total.top) {
    rows.push(['item', 'count']);
    for (const { item, count } of result.total.top) rows.push([item, count]);
  } else {
    const values = result.breakdown?.values ?? [];
    const compared = result.comparison?.series ?? [];
    rows.push(['start', 'end', result.metric, ...values.map((v) => `${result.breakdown!.dimension}=${v}`), ...(result.comparison ? ['compared_start', `compared_${result.metric}`] : [])]);
    result.series.forEach((point, i) => {
      const other = compared[i];
      rows.push([point.start, point.end, point.value, ...values.map((v) => point.breakdown?.[v] ?? 0), ...(result.comparison ? [other?.start ?? '', other?.value ?? ''] : [])]);
    });
    rows.push(['total', '', result.total.value, ...values.map(() => ''), ...(result.comparison ? ['', result.comparison.total.value] : [])]);
  }
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
