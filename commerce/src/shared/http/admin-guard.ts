import { forbidden } from '@shop/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from './auth.ts';
import { can, type Permission } from './permissions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a back-office route needs, when it differs from its scope's (see guardPermission). */
    permission?: Permission;
  }
}

/** The caller, or 401 / 403 (CSRF on cookie sessions, then the role's grants). */
export async function requirePermission(auth: Authenticator, request: FastifyRequest, permission: Permission): Promise<Principal> {
  const principal = await auth.requireUser(request);
  if (!can(principal.role, permission)) throw forbidden(`Your role (${principal.role}) may not do this: it needs the ${permission} permission`);
  return principal;
}

/**
 * Puts every route of `app` behind a permission: `permission` for the scope, or the route's own
 * `config: { permission }` (a read route in a write scope, a refund in an orders scope). It runs on
 * `onRequest`, before the body is parsed and validated, so a caller without the grant learns
 * nothing about the schemas. Returns how a handler reads the caller.
 *
 * @example
 * const caller = guardPermission(admin, auth, 'orders.read');
 * admin.post('/orders/:id/refunds', { config: { permission: 'orders.refund' }, schema }, async (request) => refund(caller(request).userId));
 */
export function guardPermission(app: FastifyInstance, auth: Authenticator, permission: Permission): (request: FastifyRequest) => Principal {
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.addHook('onRequest', async (request) => {
    principals.set(request, await requirePermission(auth, request, request.routeOptions.config?.permission ?? permission));
  });
  return (request) => {
    const principal = principals.get(request);
    if (!principal) throw new Error('back-office route reached without its permission guard');
    return principal;
  };
}
