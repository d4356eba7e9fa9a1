import { formatValue, percent } from './format.js';

/** Six shades by return rate; the stylesheet gives each a background with readable text. */
export function shadeOf(share) {
  if (share <= 0) return 'shade-0';
  if (share < 0.1) return 'shade-1';
  if (share < 0.25) return 'shade-2';
  if (share < 0.5) return 'shade-3';
  if (share < 0.75) return 'shade-4';
  return 'shade-5';
}

const cell = (tag, text, className) => {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
};

/**
 * Cohorts as a grid: a row per cohort (its first UTC day or ISO week and its size), a column per
 * later period holding the share of the cohort seen again then (the count beside it), shaded by
 * that share. Periods after `endMs` (the range's end) have not happened yet and are left empty.
 */
export function renderRetention(elements, answer, endMs) {
  const periodMs = (answer.period === 'week' ? 7 : 1) * 86_400_000;
  // Periods a cohort has had so far, counting the one holding the range's end.
  const reachOf = (cohort) => Math.max(cohort.returning.length, Math.ceil((endMs - Date.parse(cohort.start)) / periodMs));
  const unit = answer.period === 'week' ? 'Week' : 'Day';
  const columns = Math.max(1, ...answer.cohorts.map(reachOf));
  const head = document.createElement('tr');
  head.append(cell('th', answer.period === 'week' ? 'Cohort (week of)' : 'Cohort (UTC day)'), cell('th', 'Visitors', 'num'));
  for (let k = 0; k < columns; k++) head.append(cell('th', `${unit} ${k}`, 'num'));
  for (const th of head.children) th.scope = 'col';
  elements.head.replaceChildren(head);

  if (answer.cohorts.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('td', 'No visitors in this range.', 'empty');
    td.colSpan = columns + 2;
    tr.append(td);
    elements.rows.replaceChildren(tr);
    return;
  }
  elements.rows.replaceChildren(
    ...answer.cohorts.map((cohort) => {
      const tr = document.createElement('tr');
      const name = cell('th', cohort.start);
      name.scope = 'row';
      tr.append(name, cell('td', formatValue(cohort.size), 'num'));
      const reach = reachOf(cohort);
      for (let k = 0; k < columns; k++) {
        if (k >= reach) {
          tr.append(cell('td', '', 'retention-cell'));
          continue;
        }
        const n = cohort.returning[k] ?? 0;
        const td = cell('td', '', `retention-cell num ${shadeOf(cohort.size ? n / cohort.size : 0)}`);
        td.append(cell('span', percent(n, cohort.size), 'rate'), cell('span', formatValue(n), 'count'));
        tr.append(td);
      }
      return tr;
    }),
  );
}
