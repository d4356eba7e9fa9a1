import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError, forbidden, unauthorized } from '@shop/platform';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * A preHandler guarding the admin API with `ANALYTICS_ADMIN_TOKEN`. There is no default
 * token: without one the admin API is switched off (403 saying how to switch it on).
 * Comparing digests keeps the comparison constant-time whatever the lengths.
 */
export function requireAdminToken(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) throw forbidden('The admin API is disabled: set ANALYTICS_ADMIN_TOKEN to enable it');
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized('Send the admin token as Authorization: Bearer <ANALYTICS_ADMIN_TOKEN>');
    if (!timingSafeEqual(digest(match[1]), expected)) throw new HttpError(401, 'UNAUTHORIZED', 'The admin token is wrong');
  };
}
