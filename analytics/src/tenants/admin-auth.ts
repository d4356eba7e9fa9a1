import { requireBearerToken } from '@shop/platform';

/**
 * A preHandler guarding the admin API (tenants, erasures) with `ANALYTICS_ADMIN_TOKEN`. There is
 * no default token: without one the admin API is switched off (403 saying how to switch it on).
 */
export function requireAdminToken(adminToken: string | undefined) {
  return requireBearerToken(adminToken, { variable: 'ANALYTICS_ADMIN_TOKEN', label: 'admin' });
}
