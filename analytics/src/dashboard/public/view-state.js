import { MAX_STEPS, parseStep, stepText } from './funnel-steps.js';

/** The funnel window the API assumes when none is given. */
export const DEFAULT_WINDOW_MINUTES = 60;

/**
 * What the page shows, kept in the address bar so a view can be bookmarked or shared: the range
 * (or custom dates), the comparison, the filters (one `filter=` each), the charted metric, the funnel's steps
 * (one `step=` each) and window, and the retention cohorts' period. Read once at start,
 * written (replaceState) on every change.
 */
export function readViewState(search) {
  const q = new URLSearchParams(search);
  const range = q.get('range');
  const filters = [];
  for (const filter of q.getAll('filter').slice(0, 5)) {
    const colon = filter.indexOf(':');
    if (colon > 0 && !filters.some((f) => f.dimension === filter.slice(0, colon))) filters.push({ dimension: filter.slice(0, colon), value: filter.slice(colon + 1) });
  }
  return {
    range: ['hour', 'day', 'month', 'custom'].includes(range) ? range : null,
    from: /^\d{4}-\d{2}-\d{2}$/.test(q.get('from') ?? '') ? q.get('from') : null,
    to: /^\d{4}-\d{2}-\d{2}$/.test(q.get('to') ?? '') ? q.get('to') : null,
    compare: q.get('compare') === 'previous',
    filters,
    metric: q.get('metric'),
    steps: q.getAll('step').slice(0, MAX_STEPS).map(parseStep).filter(Boolean),
    window: /^\d{1,5}$/.test(q.get('window') ?? '') ? Number(q.get('window')) : null,
    retention: q.get('retention') === 'week' ? 'week' : 'day',
  };
}

export function writeViewState(location, history, view) {
  const q = new URLSearchParams();
  q.set('range', view.range);
  if (view.range === 'custom') {
    q.set('from', view.from);
    q.set('to', view.to);
  }
  if (view.compare) q.set('compare', 'previous');
  for (const f of view.filters) q.append('filter', `${f.dimension}:${f.value}`);
  if (view.metric && view.metric !== 'events') q.set('metric', view.metric);
  for (const step of view.steps ?? []) q.append('step', stepText(step));
  if (view.window && view.window !== DEFAULT_WINDOW_MINUTES) q.set('window', String(view.window));
  if (view.retention === 'week') q.set('retention', 'week');
  history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
}

/** The day after a YYYY-MM-DD date: the API's `to` is exclusive, the picker's last day inclusive. */
export function dayAfter(date) {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
