/** Wall-clock fields of an instant in a zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall clock at `instant` (from the platform's IANA database, so DST rules are the real ones). */
export function localTime(instant: number, timeZone: string): LocalTime {
  const d = new Date(Math.floor(instant / 1000) * 1000 + offsetAt(instant, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** The wall clock straight from Intl: exact, but tens of microseconds a call. */
function intlLocalTime(instant: number, timeZone: string): LocalTime {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

function intlOffsetAt(instant: number, timeZone: string): number {
  const t = intlLocalTime(instant, timeZone);
  const seconds = Math.floor(instant / 1000) * 1000;
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - seconds;
}

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 200_000;
// zone → UTC hour index → the offset throughout that hour, or null when a transition falls inside it.
const hourOffsets = new Map<string, Map<number, number | null>>();

/**
 * Offset from UTC at `instant`, in ms (+5:45 → 20,700,000). A series of 30 local days asks for
 * thousands of instants and Intl costs tens of microseconds each, so offsets are cached per UTC
 * hour: no zone changes its offset twice within an hour, so equal offsets at an hour's first and
 * last second mean the offset holds throughout; an hour holding a transition asks Intl instant
 * by instant.
 */
export function offsetAt(instant: number, timeZone: string): number {
  let zone = hourOffsets.get(timeZone);
  if (!zone) hourOffsets.set(timeZone, (zone = new Map()));
  const hour = Math.floor(instant / HOUR_MS);
  let offset = zone.get(hour);
  if (offset === undefined) {
    const first = intlOffsetAt(hour * HOUR_MS, timeZone);
    offset = first === intlOffsetAt((hour + 1) * HOUR_MS - 1000, timeZone) ? first : null;
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    zone.set(hour, offset);
  }
  return offset ?? intlOffsetAt(instant, timeZone);
}

/**
 * The instant a wall-clock time names in a zone. In a DST gap (02:30 on a spring-forward day)
 * the time does not exist and is moved forward by the gap (03:30), as Temporal's `compatible`
 * rule does; in an overlap it is the earlier of the two instants.
 */
export function instantOf(wall: LocalTime, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const candidates = [offsetAt(asUtc - 14 * 3_600_000, timeZone), offsetAt(asUtc + 14 * 3_600_000, timeZone)];
  const matching = candidates.map((offset) => asUtc - offset).filter((t) => asUtc - offsetAt(t, timeZone) === t);
  if (matching.length > 0) return Math.min(...matching);
  return asUtc - Math.min(...candidates);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function localDate(t: LocalTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2026-03-08T03:00:00-04:00`. */
export function formatLocal(instant: number, timeZone: string): string {
  const t = localTime(instant, timeZone);
  const offset = Math.round(offsetAt(instant, timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${localDate(t)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A query bound: an ISO instant with `Z` or an offset, or a local date / date-time read in
 * `timeZone` (`2026-03-08` is that day's local midnight). Null when unreadable.
 */
export function parseBound(text: string, timeZone: string): number | null {
  if (WITH_ZONE.test(text)) {
    const instant = Date.parse(text);
    return Number.isFinite(instant) && /^\d{4}-\d{2}-\d{2}T/.test(text) ? instant : null;
  }
  const m = LOCAL.exec(text);
  if (!m) return null;
  const wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  return instantOf(wall, timeZone);
}
