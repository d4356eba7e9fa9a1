import { createHash } from 'node:crypto';

/**
 * A cookieless visitor id, as Plausible counts: hash(daily salt, site, IP, user agent). The same
 * browser on the same network gets the same id all day and a different one the next day; the IP
 * goes into the hash only and is stored nowhere. `cl_` tells these ids apart from client ones.
 */
export function cookielessVisitorId(salt: Buffer, tenantId: string, ip: string, userAgent: string): string {
  return `cl_${createHash('sha256').update(salt).update('\0').update(tenantId).update('\0').update(ip).update('\0').update(userAgent.slice(0, 512)).digest('base64url').slice(0, 22)}`;
}
