import type { IssuedSession } from '../domain/session.ts';
import type { UsersDeps } from './ports/users.ports.ts';

const HOUR_MS = 3_600_000;

/**
 * Issues a session for a user who just proved who they are (login or registration).
 * Only digests are stored, so a leaked sessions table cannot be replayed.
 */
export async function startSession(
  deps: Pick<UsersDeps, 'sessions' | 'tokens' | 'now' | 'newId' | 'sessionTtlHours'>,
  userId: string,
): Promise<IssuedSession> {
  const token = deps.tokens.generate();
  const csrfToken = deps.tokens.generate();
  const createdAt = deps.now();
  const expiresAt = new Date(createdAt.getTime() + deps.sessionTtlHours * HOUR_MS);
  const sessionId = deps.newId();
  await deps.sessions.insert({
    id: sessionId,
    userId,
    tokenHash: deps.tokens.digest(token),
    csrfHash: deps.tokens.digest(csrfToken),
    createdAt,
    expiresAt,
  });
  return { sessionId, token, csrfToken, expiresAt };
}
