import { checkPasswordPolicy } from '../domain/password-policy.ts';
import { ok, type Result } from '@shop/platform/result';
import { normaliseEmail } from '../domain/user.ts';
import type { WeakPassword } from '../domain/users.errors.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export type RegisterResult = Result<object, WeakPassword>;

/**
 * Creates a customer account, or, when the email already has one, emails its owner that
 * someone tried to register with it. Both end the same way for the caller (the same answer
 * after the same work: one password hash and one write), so registering tells nobody which
 * addresses have accounts. The new customer signs in next.
 */
export async function registerUser(deps: UsersDeps, input: { email: string; password: string }): Promise<RegisterResult> {
  const policy = checkPasswordPolicy(input.password, deps.commonPasswords);
  if (!policy.ok) return policy;
  const email = normaliseEmail(input.email);
  const passwordHash = await deps.passwords.hash(input.password);
  const user = await deps.users.insert({ id: deps.newId(), email, passwordHash, role: 'customer', now: deps.now() });
  if (!user) {
    const owner = await deps.users.findByEmailWithPassword(email);
    if (owner) await deps.registrationNotices.existingAccount({ id: owner.id, email: owner.email });
  }
  return ok({});
}
