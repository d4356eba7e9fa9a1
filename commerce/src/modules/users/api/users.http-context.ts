import type { Logger } from '@shop/platform';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { UsersDeps } from '../application/ports/users.ports.ts';

export type OnSignedIn = (event: { userId: string; request: FastifyRequest }) => Promise<unknown>;

/** What the route files share; built once by the module factory. */
export interface UsersHttpContext {
  deps: UsersDeps;
  auth: Authenticator;
  cookieSecure: boolean;
  onSignedIn: OnSignedIn;
  logger: Logger;
}

/** OpenAPI: these routes take the session cookie or a bearer token. */
export const SIGNED_IN: { [scheme: string]: string[] }[] = [{ session: [] }, { bearer: [] }];
