import { checkPasswordPolicy } from '../domain/password-policy.ts';
import { normaliseEmail, type Role, type User } from '../domain/user.ts';
import type { UsersDeps } from './ports/users.ports.ts';

/**
 * Creates a configured account (the initial admin, the demo staff member), or gives the existing
 * account with that email the role. One upsert, so restarts and several instances starting together
 * converge on the same row. An existing account keeps its password: config must not silently reset
 * a credential.
 */
export async function ensureAccount(deps: UsersDeps, account: { email: string; password: string; role: Role }): Promise<User> {
  const policy = checkPasswordPolicy(account.password, deps.commonPasswords);
  // A bad operator setting is a deployment error, not an expected outcome: fail the start loudly.
  if (!policy.ok) throw new Error(`initial ${account.role}: ${policy.error.reason}`);
  return deps.users.upsertWithRole({
    id: deps.newId(),
    email: normaliseEmail(account.email),
    passwordHash: await deps.passwords.hash(account.password),
    role: account.role,
    now: deps.now(),
  });
}
