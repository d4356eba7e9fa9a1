import type { Role } from './user.ts';

/** A live session as seen when a request presents its token. Tokens themselves are never stored. */
export interface Session {
  id: string;
  userId: string;
  role: Role;
  /** SHA-256 of the session's CSRF token. */
  csrfHash: string;
  expiresAt: Date;
}

/** What a client receives once, at sign-in: the secrets are not recoverable later. */
export interface IssuedSession {
  sessionId: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}
