import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from './auth.ts';

/**
 * Puts every route of `app` behind `auth.requireAdmin`. It runs on `onRequest`, before the
 * body is parsed and validated, so an anonymous caller learns nothing about the schemas.
 * Returns how a handler reads the admin who called.
 */
export function guardAdmin(app: FastifyInstance, auth: Authenticator): (request: FastifyRequest) => Principal {
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.addHook('onRequest', async (request) => {
    principals.set(request, await auth.requireAdmin(request));
  });
  return (request) => {
    const principal = principals.get(request);
    if (!principal) throw new Error('admin route reached without the admin guard');
    return principal;
  };
}
