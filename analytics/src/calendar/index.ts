/**
 * A tenant's wall clock: offsets, local dates and times, parsing and formatting local bounds, and
 * the tenant's calendar day (quotas reset on it). From the platform's IANA database via Intl.
 */
export { formatLocal, instantOf, isTimeZone, localDate, localTime, offsetAt, parseBound, type LocalTime } from './time-zone.ts';
export { tenantDay } from './tenant-day.ts';
