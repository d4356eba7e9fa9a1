/**
 * Where things live in the lake, and the batch period. The period is one UTC day: views are
 * written per tenant-day and the watermark B is the end of the last complete day.
 */
export const DAY_MS = 86_400_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Period {
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
  start: number;
  end: number;
}

export function periodOf(date: string): Period {
  if (!DATE.test(date) || !Number.isFinite(Date.parse(`${date}T00:00:00Z`))) throw new Error(`Not a date (YYYY-MM-DD): ${date}`);
  const start = Date.parse(`${date}T00:00:00Z`);
  if (new Date(start).toISOString().slice(0, 10) !== date) throw new Error(`Not a date (YYYY-MM-DD): ${date}`);
  return { date, start, end: start + DAY_MS };
}

export function periodAt(instant: number): Period {
  return periodOf(new Date(Math.floor(instant / DAY_MS) * DAY_MS).toISOString().slice(0, 10));
}

/** The periods from `from` through `to`, both UTC dates, inclusive. */
export function periodsBetween(from: string, to: string): Period[] {
  const out: Period[] = [];
  for (let p = periodOf(from); p.start <= periodOf(to).start; p = periodAt(p.end)) out.push(p);
  return out;
}

export const rawTenantPrefix = (tenantId: string) => `raw/tenant=${tenantId}/`;
/** A tenant-day's raw objects: the archiver files each event under its event time's UTC date and hour. */
export const rawDayPrefix = (tenantId: string, date: string) => `raw/tenant=${tenantId}/date=${date}/`;
export const viewsTenantPrefix = (tenantId: string) => `views/tenant=${tenantId}/`;
export const viewKey = (tenantId: string, date: string) => `views/tenant=${tenantId}/date=${date}/cells.parquet`;
export const statsKey = (tenantId: string, date: string) => `views/tenant=${tenantId}/date=${date}/stats.json`;
export const watermarkKey = (tenantId: string) => `views/tenant=${tenantId}/_watermark.json`;
/** The days a run found without raw data (see empty-days.ts). */
export const emptyDaysKey = (tenantId: string) => `views/tenant=${tenantId}/_empty-days.json`;

/** The dates of the views under a tenant's prefix. */
export function viewDates(keys: string[]): string[] {
  const dates = keys.map((k) => /\/date=(\d{4}-\d{2}-\d{2})\/cells\.parquet$/.exec(k)?.[1]).filter((d): d is string => d !== undefined);
  return [...new Set(dates)].sort();
}

export function rawDates(keys: string[]): string[] {
  const dates = keys.map((k) => /\/date=(\d{4}-\d{2}-\d{2})\/hour=\d{2}\/[^/]+\.ndjson$/.exec(k)?.[1]).filter((d): d is string => d !== undefined);
  return [...new Set(dates)].sort();
}

export const TENANT_ID = /^[\w.-]{1,128}$/;
