import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError, forbidden, unauthorized } from './http-error.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface BearerTokenGuard {
  /** The environment variable holding the token, named in the answers (`ANALYTICS_ADMIN_TOKEN`). */
  variable: string;
  /** What the token opens, in the answers (`admin` → "The admin API is disabled ..."). */
  label: string;
}

/**
 * A preHandler (or onRequest hook) admitting only `Authorization: Bearer <token>`. There is no
 * default token: without one the guarded API is switched off (403 saying how to switch it on).
 * Comparing SHA-256 digests keeps the comparison constant-time whatever the lengths.
 *
 * @example
 * api.addHook('preHandler', requireBearerToken(config.ANALYTICS_ADMIN_TOKEN, { variable: 'ANALYTICS_ADMIN_TOKEN', label: 'admin' }));
 */
export function requireBearerToken(token: string | undefined, guard: BearerTokenGuard) {
  const expected = token ? digest(token) : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) throw forbidden(`The ${guard.label} API is disabled: set ${guard.variable} to enable it`);
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized(`Send the ${guard.label} token as Authorization: Bearer <${guard.variable}>`);
    if (!timingSafeEqual(digest(match[1]), expected)) throw new HttpError(401, 'UNAUTHORIZED', `The ${guard.label} token is wrong`);
  };
}
