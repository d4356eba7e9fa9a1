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
  | 'TENANT.KEY_WRONG_KIND';

export interface TenantError {
  code: TenantErrorCode;
  message: string;
}

export const tenantError = (code: TenantErrorCode, message: string): TenantError => ({ code, message });
