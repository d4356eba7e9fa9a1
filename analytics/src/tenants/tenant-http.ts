import { z } from 'zod';
import { HttpError } from '@shop/platform';
import type { ApiKeyRecord } from './api-key.ts';
import type { TenantError, TenantErrorCode } from './tenant.errors.ts';

const STATUS: Record<TenantErrorCode, number> = {
  'TENANT.INVALID_ID': 400,
  'TENANT.INVALID_TIME_ZONE': 400,
  'TENANT.INVALID_LIMIT': 400,
  'TENANT.ALREADY_EXISTS': 409,
  'TENANT.NOT_FOUND': 404,
  'TENANT.KEY_NOT_FOUND': 404,
  'TENANT.KEY_UNKNOWN': 401,
  'TENANT.KEY_REVOKED': 401,
  'TENANT.KEY_WRONG_KIND': 401,
  'TENANT.KEY_EXPIRED': 401,
  // The key is good, it just may not do this.
  'TENANT.KEY_OUT_OF_SCOPE': 403,
  'TENANT.INVALID_EXPIRY': 400,
};

// The request field a refusal is about, so a form can show the message next to that field.
const FIELD: Partial<Record<TenantErrorCode, string>> = {
  'TENANT.INVALID_ID': 'body.id',
  'TENANT.ALREADY_EXISTS': 'body.id',
  'TENANT.INVALID_TIME_ZONE': 'body.timeZone',
  'TENANT.INVALID_EXPIRY': 'body.expiresAt',
};

/** The HTTP answer to an expected failure of the tenants module. */
export const fail = (error: TenantError) => {
  const field = FIELD[error.code];
  return new HttpError(STATUS[error.code], error.code, error.message, field ? [{ field, message: error.message }] : undefined);
};

/** A key as the API shows it. */
export const keySchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  kind: z.enum(['write', 'read', 'share']),
  hint: z.string(),
  label: z.string().optional(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
  expiresAt: z.string().optional().describe('share keys: refused from this instant'),
  scope: z.enum(['dashboard']).optional().describe('share keys: what they may read'),
});

// The hash stays server-side: it is what an attacker would need to test guesses offline.
export const publicKey = ({ hash: _hash, ...rest }: ApiKeyRecord) => rest;

