import type { User } from '../domain/user.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export function getUser(deps: Pick<UsersDeps, 'users'>, userId: string): Promise<User | null> {
  return deps.users.findById(userId);
}
