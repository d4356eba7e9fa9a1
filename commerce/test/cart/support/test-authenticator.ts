import type { FastifyRequest } from 'fastify';
import { forbidden } from '@shop/platform';
import type { Authenticator, Principal } from '../../../src/shared/http/auth.ts';
import { createTestAuthenticator as createSharedTestAuthenticator } from '../../support/test-authenticator.ts';

/**
 * The shared test authenticator plus the real one's CSRF rule: unsafe requests of a cookie session
 * (`x-test-via: cookie`) need `x-csrf-token: valid`.
 */
export const createTestAuthenticator = (): Authenticator => createSharedTestAuthenticator({ check: requireCsrfToken });

function requireCsrfToken(request: FastifyRequest, principal: Principal): void {
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
  if (unsafe && principal.via === 'cookie' && request.headers['x-csrf-token'] !== 'valid') {
    throw forbidden('CSRF token missing or invalid');
  }
}
