import { fail as err, ok, type Result } from '@shop/platform/result';
import type { ApiKeyRecord } from './api-key.ts';
import { tenantError, type TenantError } from './tenant.errors.ts';

/** A share link lives at most this long: a forgotten link stops working on its own. */
export const MAX_SHARE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface NewShareKey {
  expiresAt: Date;
  label?: string;
}

/** The expiry itself when it lies in the future and at most `MAX_SHARE_DAYS` ahead of `now`. */
export function checkShareExpiry(expiresAt: Date, now: Date): Result<Date, TenantError> {
  const at = expiresAt.getTime();
  if (Number.isNaN(at)) return err(tenantError('TENANT.INVALID_EXPIRY', 'expiresAt must be an ISO 8601 instant'));
  if (at <= now.getTime()) return err(tenantError('TENANT.INVALID_EXPIRY', 'expiresAt must be in the future'));
  if (at > now.getTime() + MAX_SHARE_DAYS * DAY_MS) {
    return err(tenantError('TENANT.INVALID_EXPIRY', `expiresAt may be at most ${MAX_SHARE_DAYS} days ahead`));
  }
  return ok(expiresAt);
}

/** The refusal of a share key on anything outside its scope, naming the scope. */
export const shareKeyRefusal = (key: ApiKeyRecord): TenantError =>
  tenantError('TENANT.KEY_OUT_OF_SCOPE', `The key ${key.hint} is a share key with scope "${key.scope ?? 'dashboard'}": it may only read the shared dashboard`);
