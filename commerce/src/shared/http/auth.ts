import type { FastifyRequest } from 'fastify';

export type Role = 'customer' | 'staff' | 'admin';

/** Who is calling. Produced by the users module; other modules only read it. */
export interface Principal {
  userId: string;
  role: Role;
  sessionId: string;
  /** Cookie sessions must pass the CSRF check on unsafe methods; bearer tokens need not. */
  via: 'cookie' | 'bearer';
}

/**
 * The users module implements this and the composition root hands it to every module
 * with routes, so no module imports the users module to check a session.
 */
export interface Authenticator {
  /** The caller, or null when anonymous. Invalid or expired credentials count as anonymous. */
  identify(request: FastifyRequest): Promise<Principal | null>;
  /** The caller or a 401; on cookie sessions also the CSRF check for unsafe methods (403). */
  requireUser(request: FastifyRequest): Promise<Principal>;
  /** As requireUser, then 403 unless the caller is an admin. */
  requireAdmin(request: FastifyRequest): Promise<Principal>;
}
