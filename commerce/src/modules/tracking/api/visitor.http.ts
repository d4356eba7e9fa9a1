import type {} from '@fastify/cookie';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Segment's own cookie name, so analytics.js in the web front end reuses the same id. */
export const ANONYMOUS_ID_COOKIE = 'ajs_anonymous_id';
const VALID_ID = /^[A-Za-z0-9_-]{8,64}$/;
const CART_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/**
 * The anonymous id of a request: the `ajs_anonymous_id` cookie, else one derived from the cart
 * token (a hash: the token is a bearer secret, the id is not), else a new one. Absent cookies
 * are set, so the next request of a browser carries the same id.
 */
export function anonymousIdOf(request: FastifyRequest, reply: FastifyReply | undefined, cookieSecure: boolean): string {
  const cookie = request.cookies?.[ANONYMOUS_ID_COOKIE];
  if (typeof cookie === 'string' && VALID_ID.test(cookie)) return cookie;
  const header = request.headers['x-cart-token'];
  const cartToken = typeof header === 'string' ? header : request.cookies?.cart_token;
  const id =
    typeof cartToken === 'string' && CART_TOKEN.test(cartToken)
      ? `cart-${createHash('sha256').update(cartToken).digest('hex').slice(0, 32)}`
      : randomUUID();
  // Readable by scripts (not httpOnly) like Segment's own cookie: it is an identifier, not a credential.
  if (reply && !reply.sent) reply.setCookie(ANONYMOUS_ID_COOKIE, id, { path: '/', sameSite: 'lax', secure: cookieSecure, maxAge: 365 * 24 * 3600 });
  return id;
}
