import { localDate, localTime } from './time-zone.ts';

/**
 * The tenant's calendar day (`YYYY-MM-DD`) at `at`, and the seconds until it ends.
 * On a DST change day the real length is 23 or 25 hours; an hour early or late on Retry-After
 * twice a year is harmless, the day key itself is exact.
 */
export function tenantDay(at: Date, timeZone: string): { day: string; secondsLeft: number } {
  const t = localTime(at.getTime(), timeZone);
  const elapsed = t.hour * 3600 + t.minute * 60 + t.second;
  return { day: localDate(t), secondsLeft: Math.max(1, 86_400 - elapsed) };
}
