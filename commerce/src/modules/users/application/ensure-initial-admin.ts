import { checkPasswordPolicy } from '../domain/password-policy.ts';
import { normaliseEmail, type User } from '../domain/user.ts';
import type { UsersDeps } from './ports/users.ports.ts';

/**
 * Creates the configured admin, or promotes the existing account with that email. One
 * upsert, so restarts and several instances starting together converge on the same row.
 * An existing account keeps its password: config must not silently reset a credential.
 */
export async function ensureInitialAdmin(deps: UsersDeps, admin: { email: string; password: string }): Promise<User> {
  const policy = checkPasswordPolicy(admin.password, deps.commonPasswords);
  // A bad operator setting is a deployment error, not an expected outcome: fail the start loudly.
  if (!policy.ok) throw new Error(`initial admin: ${policy.error.reason}`);
  return deps.users.upsertAdmin({
    id: deps.newId(),
    email: normaliseEmail(admin.email),
    passwordHash: await deps.passwords.hash(admin.password),
    now: deps.now(),
  });
}
