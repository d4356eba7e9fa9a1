import type { FastifyRequest } from 'fastify';
import { unauthorized } from '@shop/platform';

/** What a query needs to know about the caller's tenant. */
export interface QueryTenant {
  id: string;
  /** IANA zone used when the query names none. */
  timeZone: string;
}

/**
 * The tenants module implements this; the query routes never see tenant storage. A read key
 * decides the tenant: there is no tenant parameter, so one tenant's key cannot name another.
 */
export interface ReadKeyResolver {
  /** The tenant owning an active read key, or null for unknown, revoked or write-only keys. */
  resolveReadKey(key: string): Promise<QueryTenant | null>;
}

/** The read key from `Authorization: Bearer <key>` or HTTP Basic with the key as user (Segment style). */
export function readKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value.trim() || null;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0] ?? '';
    return user || null;
  }
  return null;
}

export async function requireTenant(request: FastifyRequest, tenants: ReadKeyResolver): Promise<QueryTenant> {
  const key = readKeyOf(request);
  if (!key) throw unauthorized('Send a read key as Authorization: Bearer <key> or as the HTTP Basic user');
  const tenant = await tenants.resolveReadKey(key);
  if (!tenant) throw unauthorized('Unknown or revoked read key');
  return tenant;
}
