import { forbidden, unauthorized } from '@shop/platform';
import type { FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from '../../../src/shared/http/auth.ts';

export const TEST_USER_HEADER = 'x-test-user';

/**
 * Stands in for the users module (being written in parallel): the caller is whoever the
 * `x-test-user: <userId>:<role>` header names. It keeps the real contract: anonymous -> 401,
 * a customer on an admin route -> 403.
 */
export function createTestAuthenticator(): Authenticator {
  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const raw = request.headers[TEST_USER_HEADER];
    if (typeof raw !== 'string') return null;
    const [userId, role] = raw.split(':');
    if (!userId || (role !== 'admin' && role !== 'customer')) return null;
    return { userId, role, sessionId: `test-${userId}`, via: 'bearer' };
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
      if (principal.role !== 'admin') throw forbidden('Admins only');
      return principal;
    },
  };
}

export const asAdmin = (userId = 'admin-1') => ({ [TEST_USER_HEADER]: `${userId}:admin` });
export const asCustomer = (userId = 'customer-1') => ({ [TEST_USER_HEADER]: `${userId}:customer` });
