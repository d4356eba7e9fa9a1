import { HttpError, forbidden, unauthorized } from '@shop/platform';
import type { FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from '../../../shared/http/auth.ts';
import { csrfTokenMatches, resolveSession } from '../application/resolve-session.ts';
import type { UsersDeps } from '../application/ports/users.ports.ts';
import type { Session } from '../domain/session.ts';
import { SESSION_COOKIE } from './session-cookies.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Our tokens are 43 base64url characters; anything far off is not worth a database round trip. */
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

interface Identified {
  principal: Principal;
  session: Session;
}

function credential(request: FastifyRequest): { via: Principal['via']; token: string } | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^bearer\b/i.test(header)) {
    // A bearer header decides alone: a bad one never falls back to a cookie the browser attached.
    const token = BEARER.exec(header)?.[1];
    return token && TOKEN.test(token) ? { via: 'bearer', token } : null;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie && TOKEN.test(cookie) ? { via: 'cookie', token: cookie } : null;
}

/**
 * Sessions from the `sid` cookie (web) or `Authorization: Bearer` (mobile). Cookies ride along
 * on cross-site requests, so unsafe methods on a cookie session must also present the
 * session's CSRF token, which another site cannot read; bearer tokens are never sent
 * implicitly, so they need no such check.
 */
export function createAuthenticator(deps: Pick<UsersDeps, 'sessions' | 'tokens' | 'now'>): Authenticator {
  // Several modules may ask about one request; it is looked up once.
  const seen = new WeakMap<FastifyRequest, Promise<Identified | null>>();

  const lookup = (request: FastifyRequest): Promise<Identified | null> => {
    let pending = seen.get(request);
    if (!pending) {
      pending = (async () => {
        const presented = credential(request);
        if (!presented) return null;
        const session = await resolveSession(deps, presented.token);
        if (!session) return null;
        const principal: Principal = { userId: session.userId, role: session.role, sessionId: session.id, via: presented.via };
        return { principal, session };
      })();
      seen.set(request, pending);
    }
    return pending;
  };

  const requireUser = async (request: FastifyRequest): Promise<Principal> => {
    const found = await lookup(request);
    if (!found) throw unauthorized();
    if (found.principal.via === 'cookie' && UNSAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const presented = typeof header === 'string' ? header : undefined;
      if (!presented) {
        throw new HttpError(
          403,
          'USERS.CSRF_TOKEN_MISSING',
          `${request.method} with a session cookie needs the x-csrf-token header (the csrfToken from sign-in, also in the csrf_token cookie)`,
        );
      }
      if (!csrfTokenMatches(deps, found.session, presented)) {
        throw new HttpError(403, 'USERS.CSRF_TOKEN_INVALID', 'x-csrf-token does not match this session; sign in again to get a fresh one');
      }
    }
    return found.principal;
  };

  return {
    async identify(request) {
      return (await lookup(request))?.principal ?? null;
    },
    requireUser,
    async requireAdmin(request) {
      const principal = await requireUser(request);
      if (principal.role !== 'admin') throw forbidden('Admins only');
      return principal;
    },
  };
}
