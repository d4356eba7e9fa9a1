/**
 * The retention every adapter is given, in milliseconds; `undefined` (keep forever) stays so.
 * Zero or a negative value is refused rather than read as "delete everything".
 */
export function retentionMs(hours: number | undefined): number | undefined {
  if (hours === undefined) return undefined;
  if (!Number.isFinite(hours) || hours <= 0) throw new RangeError(`retentionHours must be a positive number, got ${hours}`);
  return hours * 3_600_000;
}
