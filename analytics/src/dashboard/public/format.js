const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A metric value as shown: sums in major units with their decimals (revenue 6000 -> "60.00"). */
export function formatValue(value, decimals) {
  if (decimals === undefined || decimals === 0) return integer.format(value);
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value / 10 ** decimals);
}

/**
 * Labels from the API's local ISO strings ("2026-11-25T05:30:00+05:30"): the wall-clock part
 * already is the tenant's local time, so it is read as text, never converted by the browser's zone.
 */
export function localParts(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return null;
  return { year: m[1], month: Number(m[2]), day: Number(m[3]), hour: m[4], minute: m[5] };
}

export function periodLabel(iso, granularity) {
  const p = localParts(iso);
  if (!p) return iso;
  if (granularity === 'day') return `${MONTHS[p.month - 1]} ${p.day}`;
  return `${p.hour}:${p.minute}`;
}

export function periodRange(start, end, granularity) {
  const s = localParts(start);
  if (!s) return `${start} – ${end}`;
  if (granularity === 'day') return `${s.year}-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`;
  return `${MONTHS[s.month - 1]} ${s.day}, ${s.hour}:${s.minute}–${periodLabel(end, granularity)}`;
}

/** A local instant for sentences: "Nov 25, 05:30". */
export function instantLabel(iso) {
  const p = localParts(iso);
  return p ? `${MONTHS[p.month - 1]} ${p.day}, ${p.hour}:${p.minute}` : iso;
}

/** "4 s", "3 min", "2 h 5 min", "3 d 4 h". */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function percent(part, whole) {
  if (!whole) return '—';
  return `${((part / whole) * 100).toFixed(part === whole ? 0 : 1)} %`;
}

/** The instant (UTC ISO) in the tenant's zone, as the API's other times are shown. */
export function zonedLabel(utcIso, timeZone) {
  const date = new Date(utcIso);
  if (Number.isNaN(date.getTime())) return utcIso;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  } catch {
    return date.toISOString();
  }
}
