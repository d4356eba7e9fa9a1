import { fail as err, ok, type Result } from '@shop/platform/result';
import { tenantError, type TenantError } from './tenant.errors.ts';

/** One customer of the analytics platform; every event, key and view belongs to exactly one. */
export interface Tenant {
  /** Slug, also the log partition key and the prefix of every stored aggregate. */
  id: string;
  name: string;
  /** IANA zone; days (quota, daily views) are the tenant's days, not UTC's. */
  timeZone: string;
  createdAt: string;
  /** Events accepted per tenant day. */
  dailyQuota: number;
  /** Sustained events per second (token bucket refill rate). */
  rateLimitPerSecond: number;
  /**
   * Oldest event the collector accepts, in days before its arrival (historical imports need
   * room); absent: the deployment's ANALYTICS_MAX_EVENT_AGE_DAYS.
   */
  maxEventAgeDays?: number;
  /** Minutes without an event after which a visitor's visit ends; absent: 30. */
  visitTimeoutMinutes?: number;
}

export interface TenantLimits {
  dailyQuota: number;
  rateLimitPerSecond: number;
}

export interface NewTenant {
  id: string;
  name: string;
  timeZone: string;
  dailyQuota?: number;
  rateLimitPerSecond?: number;
  maxEventAgeDays?: number;
  visitTimeoutMinutes?: number;
}

/** A visit timeout longer than a day could never end inside the UTC day a visit is counted in. */
export const MAX_VISIT_TIMEOUT_MINUTES = 1440;

// Lowercase slug: safe in Redis keys, file paths, NATS subjects and URLs without escaping.
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a creation request and fills the defaults; pure, so the CLI and the API agree. */
export function buildTenant(input: NewTenant, defaults: TenantLimits, now: Date): Result<Tenant, TenantError> {
  if (!SLUG.test(input.id)) {
    return err(tenantError('TENANT.INVALID_ID', `Tenant id "${input.id}" must be 1-48 lowercase letters, digits or dashes, not starting or ending with a dash`));
  }
  if (!isValidTimeZone(input.timeZone)) {
    return err(tenantError('TENANT.INVALID_TIME_ZONE', `"${input.timeZone}" is not an IANA time zone (e.g. Europe/Paris)`));
  }
  const dailyQuota = input.dailyQuota ?? defaults.dailyQuota;
  const rateLimitPerSecond = input.rateLimitPerSecond ?? defaults.rateLimitPerSecond;
  if (!Number.isSafeInteger(dailyQuota) || dailyQuota < 1 || !Number.isSafeInteger(rateLimitPerSecond) || rateLimitPerSecond < 1) {
    return err(tenantError('TENANT.INVALID_LIMIT', 'dailyQuota and rateLimitPerSecond must be positive integers'));
  }
  const { maxEventAgeDays } = input;
  if (maxEventAgeDays !== undefined && (!Number.isSafeInteger(maxEventAgeDays) || maxEventAgeDays < 1)) {
    return err(tenantError('TENANT.INVALID_LIMIT', 'maxEventAgeDays must be a positive integer (days)'));
  }
  const { visitTimeoutMinutes } = input;
  if (visitTimeoutMinutes !== undefined && (!Number.isSafeInteger(visitTimeoutMinutes) || visitTimeoutMinutes < 1 || visitTimeoutMinutes > MAX_VISIT_TIMEOUT_MINUTES)) {
    return err(tenantError('TENANT.INVALID_LIMIT', `visitTimeoutMinutes must be a whole number of minutes from 1 to ${MAX_VISIT_TIMEOUT_MINUTES}`));
  }
  const name = input.name.trim();
  return ok({
    id: input.id,
    name: name || input.id,
    timeZone: input.timeZone,
    createdAt: now.toISOString(),
    dailyQuota,
    rateLimitPerSecond,
    ...(maxEventAgeDays !== undefined ? { maxEventAgeDays } : {}),
    ...(visitTimeoutMinutes !== undefined ? { visitTimeoutMinutes } : {}),
  });
}
