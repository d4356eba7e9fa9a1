/**
 * Every expected failure of tenant administration and key checks, with a stable code.
 * The api layer alone decides which HTTP status each code becomes.
 */
export type TenantErrorCode =
  | 'TENANT.INVALID_ID'
  | 'TENANT.INVALID_TIME_ZONE'
  | 'TENANT.INVALID_LIMIT'
  | 'TENANT.ALREADY_EXISTS'
  | 'TENANT.NOT_FOUND'
  | 'TENANT.KEY_NOT_FOUND'
  | 'TENANT.KEY_UNKNOWN'
  | 'TENANT.KEY_REVOKED'
  | 'TENANT.KEY_WRONG_KIND'
  | 'TENANT.KEY_EXPIRED'
  | 'TENANT.KEY_OUT_OF_SCOPE'
  | 'TENANT.INVALID_EXPIRY';

export interface TenantError {
  code: TenantErrorCode;
  message: string;
}

export const tenantError = (code: TenantErrorCode, message: string): TenantError => ({ code, message });
