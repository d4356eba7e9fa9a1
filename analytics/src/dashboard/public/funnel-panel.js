import { formatValue, percent } from './format.js';
import { MAX_STEPS, stepLabel } from './funnel-steps.js';
import { fillRows } from './tables.js';

const SVG = 'http://www.w3.org/2000/svg';

/** A bar of `share` (0 to 1) as an SVG sized by attributes: the page's CSP allows no inline styles. */
function bar(share) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 10');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'step-bar');
  svg.setAttribute('aria-hidden', 'true');
  const track = document.createElementNS(SVG, 'rect');
  track.setAttribute('width', '100');
  track.setAttribute('height', '10');
  track.setAttribute('class', 'track');
  const fill = document.createElementNS(SVG, 'rect');
  fill.setAttribute('width', String(Math.max(0, Math.min(1, share)) * 100));
  fill.setAttribute('height', '10');
  fill.setAttribute('class', 'fill');
  svg.append(track, fill);
  return svg;
}

/** The share as text in a box of its own width, so the bars beside it start in one line. */
function share(text) {
  const span = document.createElement('span');
  span.className = 'share';
  span.textContent = text;
  return span;
}

/**
 * The step editor: one row per step (a page path or a track event), rows added and removed with
 * buttons. `read()` gives the steps as typed, with the rows that are empty left out.
 */
export function createFunnelEditor(list, addButton) {
  const rows = [];
  let serial = 0;
  const renumber = () => {
    rows.forEach((row, i) => {
      row.kindLabel.textContent = `Step ${i + 1}`;
      row.remove.setAttribute('aria-label', `Remove step ${i + 1}`);
      row.remove.disabled = rows.length <= 2;
    });
    addButton.disabled = rows.length >= MAX_STEPS;
  };
  const add = (step = { kind: 'event', value: '' }) => {
    const id = `funnel-step-${++serial}`;
    const item = document.createElement('li');
    const kindLabel = document.createElement('label');
    kindLabel.htmlFor = `${id}-kind`;
    const kind = document.createElement('select');
    kind.id = `${id}-kind`;
    for (const [value, text] of [['page', 'Page path'], ['event', 'Track event']]) kind.append(new Option(text, value, false, value === step.kind));
    const valueLabel = document.createElement('label');
    valueLabel.htmlFor = `${id}-value`;
    valueLabel.className = 'visually-hidden';
    const input = document.createElement('input');
    input.type = 'text';
    input.id = `${id}-value`;
    input.value = step.value;
    input.maxLength = 300;
    const describe = () => {
      valueLabel.textContent = kind.value === 'page' ? 'Page path (* matches anything)' : 'Event name';
      input.placeholder = kind.value === 'page' ? '/pricing' : 'Signed Up';
    };
    kind.addEventListener('change', describe);
    describe();
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'quiet';
    remove.textContent = '×';
    const row = { item, kind, input, kindLabel, remove };
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      item.remove();
      renumber();
      rows[0]?.input.focus();
    });
    item.append(kindLabel, kind, valueLabel, input, remove);
    list.append(item);
    rows.push(row);
    renumber();
    return row;
  };
  addButton.addEventListener('click', () => add().kind.focus());
  return {
    set(steps) {
      rows.splice(0).forEach((row) => row.item.remove());
      const padded = [...steps];
      // An empty funnel suggests its usual shape: a page, then an event.
      while (padded.length < 2) padded.push({ kind: padded.length === 0 ? 'page' : 'event', value: '' });
      for (const step of padded) add(step);
    },
    read: () => rows.map((row) => ({ kind: row.kind.value, value: row.input.value.trim() })).filter((s) => s.value),
    /** The first row whose value is not a usable step, for the form to point at. */
    invalid: () => rows.find((row) => row.input.value.trim() && row.kind.value === 'page' && !row.input.value.trim().startsWith('/'))?.input ?? null,
  };
}

/**
 * Counts per step as rows with a bar of each step's share of the first, and the visitors lost;
 * with `previous` (the same funnel over the period before), that period's share of step 1 too.
 */
export function renderFunnel(tbody, steps, answer, previous) {
  const first = (a) => a.steps[0].visitors;
  fillRows(
    tbody,
    answer.steps.map((row, i) => [
      `${i + 1}. ${stepLabel(steps[i])}`,
      { text: formatValue(row.visitors), className: 'num' },
      { text: i === 0 ? '—' : `${formatValue(row.dropOff)} (${percent(row.dropOff, answer.steps[i - 1].visitors)})`, className: 'num' },
      { text: '', className: 'bar-cell', nodes: [share(percent(row.visitors, first(answer))), bar(row.conversion)] },
      ...(previous ? [{ text: `${formatValue(previous.steps[i].visitors)} (${percent(previous.steps[i].visitors, first(previous))})`, className: 'num' }] : []),
    ]),
    'No steps.',
  );
}
