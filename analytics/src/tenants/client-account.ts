import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { TenantsApi } from './tenants-api.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whom the per-client request budget counts a request against: the admin, or the tenant whose
 * read or share key it carries; null (counted per IP address) otherwise. Only a key that checks out names
 * an account, so rotating made-up keys cannot escape the per-IP budget.
 */
export function clientAccount(tenants: TenantsApi, adminToken: string | undefined) {
  const admin = adminToken ? digest(adminToken) : undefined;
  return async (request: FastifyRequest): Promise<string | null> => {
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) return null;
    if (admin && timingSafeEqual(digest(token), admin)) return 'admin';
    const found = await tenants.authenticateReader(token);
    return found.ok ? `tenant:${found.value.tenant.id}` : null;
  };
}
