import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '@shop/platform';
import type { Authenticator, Principal } from '../../../src/shared/http/auth.ts';

/**
 * Stands in for the users module's authenticator: `x-test-user` names the signed-in user,
 * `x-test-role: admin` makes them an admin. Bearer-style, so no CSRF token is needed.
 */
export function createTestAuthenticator(): Authenticator {
  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string' || userId === '') return null;
    const role = request.headers['x-test-role'] === 'admin' ? 'admin' : 'customer';
    return { userId, role, sessionId: `session-${userId}`, via: 'bearer' };
  };
  const requireUser = async (request: FastifyRequest) => {
    const principal = await identify(request);
    if (!principal) throw unauthorized();
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
