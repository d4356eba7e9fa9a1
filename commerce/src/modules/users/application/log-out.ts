import type { UsersDeps } from './ports/users.ports.ts';

/** Revokes the session server-side: the token stops working even if a copy survives on the client. */
export async function logOut(deps: Pick<UsersDeps, 'sessions'>, sessionId: string): Promise<void> {
  await deps.sessions.delete(sessionId);
}
