import type { Session } from '../domain/session.ts';
import type { UsersDeps } from './ports/users.ports.ts';

/** The live session a presented token belongs to, or null (unknown, revoked or expired). */
export async function resolveSession(deps: Pick<UsersDeps, 'sessions' | 'tokens' | 'now'>, token: string): Promise<Session | null> {
  return deps.sessions.findLive(deps.tokens.digest(token), deps.now());
}

/** Whether a request's CSRF token is the one issued with its session. */
export function csrfTokenMatches(deps: Pick<UsersDeps, 'tokens'>, session: Session, presented: string | undefined): boolean {
  return presented !== undefined && presented !== '' && deps.tokens.matches(presented, session.csrfHash);
}
