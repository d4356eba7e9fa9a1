import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '@shop/platform';
import type { Authenticator, Principal } from '../../src/shared/http/auth.ts';

/** Stands in for the users module: `x-test-user` names the caller, `x-test-role: admin` makes them an admin. */
export function createTestAuthenticator(): Authenticator {
  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string' || userId === '') return null;
    return { userId, role: request.headers['x-test-role'] === 'admin' ? 'admin' : 'customer', sessionId: `s-${userId}`, via: 'bearer' };
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

export const ADMIN = { 'x-test-user': 'admin-1', 'x-test-role': 'admin' };
export const CUSTOMER = { 'x-test-user': 'customer-1' };

/** Headers for a named admin or customer, for suites that use several users. */
export const asAdmin = (userId = 'admin-1') => ({ 'x-test-user': userId, 'x-test-role': 'admin' });
export const asCustomer = (userId = 'customer-1') => ({ 'x-test-user': userId });
