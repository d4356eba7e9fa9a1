import { checkPasswordPolicy } from '../domain/password-policy.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { IssuedSession } from '../domain/session.ts';
import { normaliseEmail, type User } from '../domain/user.ts';
import { UsersErrors, type EmailTaken, type WeakPassword } from '../domain/users.errors.ts';
import { startSession } from './start-session.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export type RegisterResult = Result<{ user: User; session: IssuedSession }, EmailTaken | WeakPassword>;

/** Creates a customer and signs them in, so a new shopper keeps going without a second form. */
export async function registerUser(deps: UsersDeps, input: { email: string; password: string }): Promise<RegisterResult> {
  const policy = checkPasswordPolicy(input.password);
  if (!policy.ok) return policy;
  const passwordHash = await deps.passwords.hash(input.password);
  const user = await deps.users.insert({
    id: deps.newId(),
    email: normaliseEmail(input.email),
    passwordHash,
    role: 'customer',
    now: deps.now(),
  });
  if (!user) return fail({ code: UsersErrors.EMAIL_TAKEN });
  return ok({ user, session: await startSession(deps, user.id) });
}
