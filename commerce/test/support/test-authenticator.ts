import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '@shop/platform';
import type { Authenticator, Principal } from '../../src/shared/http/auth.ts';

export interface TestAuthenticatorOptions {
  /** Runs in requireUser once the caller is known, for suites that simulate more of the real authenticator (the cart's CSRF rule). */
  check?: (request: FastifyRequest, principal: Principal) => void;
}

/**
 * Stands in for the users module: `x-test-user` names the caller, `x-test-role: admin` (or `staff`) gives them that role,
 * `x-test-via: cookie` makes theirs a cookie session (else a bearer token).
 */
export function createTestAuthenticator(options: TestAuthenticatorOptions = {}): Authenticator {
  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const userId = request.headers['x-test-user'];
    if (typeof userId !== 'string' || userId === '') return null;
    const asked = request.headers['x-test-role'];
    const role = asked === 'admin' || asked === 'staff' ? asked : 'customer';
    return { userId, role, sessionId: `s-${userId}`, via: request.headers['x-test-via'] === 'cookie' ? 'cookie' : 'bearer' };
  };
  const requireUser = async (request: FastifyRequest) => {
    const principal = await identify(request);
    if (!principal) throw unauthorized();
    options.check?.(request, principal);
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
