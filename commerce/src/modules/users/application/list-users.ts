import type { User } from '../domain/user.ts';
import type { UsersDeps } from './ports/users.ports.ts';

/** Oldest first, so pages stay stable while new customers sign up. */
export function listUsers(
  deps: Pick<UsersDeps, 'users'>,
  page: { limit: number; offset: number },
): Promise<{ users: User[]; total: number }> {
  return deps.users.list(page);
}
