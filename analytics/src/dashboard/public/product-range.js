import { dayAfter } from './view-state.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LENGTHS = { hour: HOUR_MS, day: DAY_MS, month: 30 * DAY_MS };
const isDate = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * The span the goal, funnel and retention panels ask about: chosen dates as local dates (the API
 * reads them in the tenant's zone, the last day included), else the range's length up to now.
 */
export function productSpan(range, custom, now = Date.now()) {
  if (range === 'custom' && isDate(custom.from ?? '') && isDate(custom.to ?? '')) return { from: custom.from, to: dayAfter(custom.to) };
  const length = LENGTHS[range] ?? DAY_MS;
  return { from: new Date(now - length).toISOString(), to: new Date(now).toISOString() };
}

/** The span of the same length just before: what "compare with the period before" means. */
export function previousSpan(span) {
  if (isDate(span.from) && isDate(span.to)) {
    const days = (Date.parse(span.to) - Date.parse(span.from)) / DAY_MS;
    return { from: new Date(Date.parse(span.from) - days * DAY_MS).toISOString().slice(0, 10), to: span.from };
  }
  const from = Date.parse(span.from);
  return { from: new Date(from - (Date.parse(span.to) - from)).toISOString(), to: span.from };
}

/** "2026-12-01 – 2026-12-07" for dates (the last one included), times in `timeZone` (the tenant's) otherwise. */
export function spanLabel(span, timeZone) {
  if (isDate(span.from)) {
    const last = new Date(Date.parse(span.to) - DAY_MS).toISOString().slice(0, 10);
    return last === span.from ? span.from : `${span.from} – ${last}`;
  }
  const at = (iso) => new Date(iso).toLocaleString([], { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${at(span.from)} – ${at(span.to)}`;
}
