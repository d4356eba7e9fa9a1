import { describe, expect, it } from 'vitest';
import { formatLocal, localTime, offsetAt } from '../../src/calendar/time-zone.ts';

// The serving layer's speed rests on offsets cached per UTC hour; this holds them to Intl itself.
const ZONES = ['America/New_York', 'Europe/Dublin', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu'];

const formats = new Map<string, Intl.DateTimeFormat>();
function reference(instant: number, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })));
  const parts = format.formatToParts(new Date(instant));
  const f = Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  const wall = { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second };
  const offset = Date.UTC(f.year!, f.month! - 1, f.day, f.hour, f.minute, f.second) - Math.floor(instant / 1000) * 1000;
  return { wall, offset };
}

/** Instants where the zone's offset changes during 2026, to the second. */
function transitions(timeZone: string): number[] {
  const found: number[] = [];
  const step = 6 * 3_600_000;
  for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += step) {
    if (reference(t, timeZone).offset === reference(t + step, timeZone).offset) continue;
    let [lo, hi] = [t, t + step];
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (reference(mid, timeZone).offset === reference(lo, timeZone).offset) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
}

describe('local time from offsets cached per hour', () => {
  it.each(ZONES)('matches Intl minute by minute around every 2026 transition of %s', (timeZone) => {
    const changes = transitions(timeZone);
    expect(changes.length).toBe(timeZone === 'Asia/Kathmandu' ? 0 : 2);
    const instants = [Date.parse('2026-06-10T18:14:59Z'), ...changes.flatMap((c) => [c - 1000, c])];
    for (const c of changes) for (let t = c - 90 * 60_000; t <= c + 90 * 60_000; t += 60_000) instants.push(t + 30_000, t);
    for (const t of instants) {
      const { wall, offset } = reference(t, timeZone);
      expect(localTime(t, timeZone)).toEqual(wall);
      expect(offsetAt(t, timeZone)).toBe(offset);
    }
    expect(formatLocal(Date.parse('2026-06-10T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-06-11T00:00:00+05:45');
  });
});
