import { formatValue, percent } from './format.js';
import { fillRows } from './tables.js';

/**
 * The dimension filter a goal stands for, when there is one: a track event by name alone
 * (`event`), or one exact page path (`context.page.path`). A goal with property values or a
 * path pattern matches what no single dimension value does, so it filters nothing.
 */
export function goalFilter(goal) {
  if (goal.kind === 'event' && !Object.keys(goal.properties ?? {}).length) return { dimension: 'event', value: goal.event };
  if (goal.kind === 'page' && !goal.path.includes('*')) return { dimension: 'context.page.path', value: goal.path };
  return null;
}

/** What a goal matches, in words: "Event “Signed Up” with plan = pro", "Page /blog/*". */
export function goalDescription(goal) {
  if (goal.kind === 'page') return `Page ${goal.path}`;
  const props = Object.entries(goal.properties ?? {}).map(([k, v]) => `${k} = ${v}`);
  return `Event “${goal.event}”${props.length ? ` with ${props.join(', ')}` : ''}`;
}

function change(now, before) {
  if (before === undefined) return '';
  if (before === 0) return now === 0 ? 'no change' : 'before: 0';
  const ratio = (now - before) / before;
  return `${ratio >= 0 ? '+' : '−'}${Math.abs(Math.round(ratio * 100))} % vs before`;
}

/**
 * The goal report as a table: per goal its converting visitors, conversions, the share of all
 * visitors who converted, and revenue (minor units, two decimals); with a comparison, the change
 * in conversions. A goal that stands for a dimension value is a button that filters by it.
 */
export function renderGoals(elements, report, previous, onFilter) {
  const before = new Map((previous?.goals ?? []).map((row) => [row.goal.id, row]));
  elements.changeHead.hidden = !previous;
  fillRows(
    elements.rows,
    report.goals.map((row) => {
      const filter = goalFilter(row.goal);
      const name = filter
        ? { text: row.goal.name, action: () => onFilter(filter), label: `Filter every panel by goal ${row.goal.name}` }
        : { text: row.goal.name };
      const cells = [
        name,
        { text: formatValue(row.visitors), className: 'num' },
        { text: formatValue(row.conversions), className: 'num' },
        { text: percent(row.rate, 1), className: 'num' },
        { text: formatValue(row.revenue, 2), className: 'num' },
      ];
      if (previous) cells.push({ text: change(row.conversions, before.get(row.goal.id)?.conversions ?? 0), className: 'num' });
      return cells;
    }),
    'No goals yet: add one under “Manage goals”.',
  );
  // What each goal matches, under its name.
  elements.rows.querySelectorAll('tr').forEach((tr, i) => {
    const goal = report.goals[i]?.goal;
    if (!goal) return;
    const what = document.createElement('span');
    what.className = 'goal-what';
    what.textContent = goalDescription(goal);
    tr.firstElementChild?.append(what);
  });
}
