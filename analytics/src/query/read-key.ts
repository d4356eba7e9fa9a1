import type { FastifyRequest } from 'fastify';
import { HttpError, unauthorized } from '@shop/platform';

/** What a query needs to know about the caller's tenant. */
export interface QueryTenant {
  id: string;
  /** IANA zone used when the query names none. */
  timeZone: string;
  /** Set when the caller holds a share key rather than a read key: what it may read, until when. */
  shared?: { scope: 'dashboard'; expiresAt: string; hint: string };
}

/** Why a key was refused, in words the caller can act on ("expired at ...", "was revoked"). */
export interface KeyRefusal {
  refused: string;
}

/**
 * The tenants module implements this; the query routes never see tenant storage. A read key
 * decides the tenant: there is no tenant parameter, so one tenant's key cannot name another.
 */
export interface ReadKeyResolver {
  /** The tenant owning an active read or share key; null or a refusal otherwise. */
  resolveReadKey(key: string): Promise<QueryTenant | KeyRefusal | null>;
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

/**
 * The caller's tenant. Only routes the shared dashboard reads pass `{ shared: true }`; every
 * other route refuses a share key with 403 naming its scope, so a leaked share link reads
 * dashboards and nothing more (no goal writes, no funnels, no raw-event reports).
 */
export async function requireTenant(request: FastifyRequest, tenants: ReadKeyResolver, options: { shared?: boolean } = {}): Promise<QueryTenant> {
  const key = readKeyOf(request);
  if (!key) throw unauthorized('Send a read key as Authorization: Bearer <key> or as the HTTP Basic user');
  const tenant = await tenants.resolveReadKey(key);
  if (!tenant) throw unauthorized('Unknown or revoked read key');
  if ('refused' in tenant) throw unauthorized(tenant.refused);
  if (tenant.shared && !options.shared) {
    throw new HttpError(403, 'KEY_OUT_OF_SCOPE', `A share key (${tenant.shared.hint}) has scope "${tenant.shared.scope}": it may only read the shared dashboard, not ${request.routeOptions.url ?? request.url}`);
  }
  return tenant;
}
