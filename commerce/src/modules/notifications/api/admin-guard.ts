import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../../shared/http/auth.ts';

/** Every route of `app` behind `auth.requireAdmin`, checked on `onRequest` before anything else runs. */
export function guardAdmin(app: FastifyInstance, auth: Authenticator): void {
  app.addHook('onRequest', async (request) => {
    await auth.requireAdmin(request);
  });
}
