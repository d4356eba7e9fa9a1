import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../../shared/http/auth.ts';

/**
 * Puts every route of `app` behind `auth.requireAdmin`, on `onRequest`: before the body is
 * parsed, so an anonymous caller learns nothing about the schemas.
 */
export function guardAdmin(app: FastifyInstance, auth: Authenticator): void {
  app.addHook('onRequest', async (request) => {
    await auth.requireAdmin(request);
  });
}
