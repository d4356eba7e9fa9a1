/** The tenant's calendar day (`YYYY-MM-DD`) at `at`, and the seconds until it ends. */
export function tenantDay(at: Date, timeZone: string): { day: string; secondsLeft: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const elapsed = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  // On a DST change day the real length is 23 or 25 hours; an hour early or late on
  // Retry-After twice a year is harmless, the day key itself is exact.
  return { day: `${parts.year}-${parts.month}-${parts.day}`, secondsLeft: Math.max(1, 86_400 - elapsed) };
}
