import type { FastifyRequest } from 'fastify';
import { cookiesOf } from './cookies.ts';

/**
 * A client's forms change state through the API, so they get the API's own CSRF defence: a post
 * from another origin is refused, and a signed-in visitor's form must carry the session's csrf token
 * (double submit; the API checks the same token in `x-csrf-token`).
 */
export function formAllowed(request: FastifyRequest, ownOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin && origin !== 'null' && origin !== ownOrigin) return false;
  const cookies = cookiesOf(request);
  if (!cookies.sid) return true;
  const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
  return typeof sent === 'string' && sent !== '' && sent === cookies.csrf_token;
}
