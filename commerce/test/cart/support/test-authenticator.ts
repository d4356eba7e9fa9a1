import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '@shop/platform';
import type { Authenticator, Principal } from '../../../src/shared/http/auth.ts';

/**
 * Stands in for the users module's authenticator (written in parallel): `x-test-user`
 * names the signed-in user. `x-test-via: cookie` makes it a cookie session, whose unsafe
 * requests need `x-csrf-token: valid` in requireUser, as the real one enforces CSRF.
 */
export function createTestAuthenticator(): Authenticator {
  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string' || userId === '') return null;
    const via = request.headers['x-test-via'] === 'cookie' ? 'cookie' : 'bearer';
    return { userId, role: 'customer', sessionId: `session-${userId}`, via };
  };
  const requireUser = async (request: FastifyRequest): Promise<Principal> => {
    const principal = await identify(request);
    if (!principal) throw unauthorized();
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (unsafe && principal.via === 'cookie' && request.headers['x-csrf-token'] !== 'valid') {
      throw forbidden('CSRF token missing or invalid');
    }
    return principal;
  };
  return {
    identify,
    requireUser,
    async requireAdmin(request) {
      const principal = await requireUser(request);
      if (principal.role !== 'admin') throw forbidden();
      return principal;
    },
  };
}
