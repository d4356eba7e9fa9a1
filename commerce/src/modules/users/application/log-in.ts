import { fail, ok, type Result } from '@shop/platform/result';
import type { IssuedSession } from '../domain/session.ts';
import { normaliseEmail, type User } from '../domain/user.ts';
import { UsersErrors, type InvalidCredentials, type TooManyAttempts } from '../domain/users.errors.ts';
import { startSession } from './start-session.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export type LogInResult = Result<{ user: User; session: IssuedSession }, InvalidCredentials | TooManyAttempts>;

/** The rate-limit key for an email; hashed so the cache holds no addresses. */
export const emailThrottleKey = (deps: Pick<UsersDeps, 'tokens'>, email: string) => `email:${deps.tokens.digest(email)}`;

export async function logIn(deps: UsersDeps, input: { email: string; password: string; ip: string }): Promise<LogInResult> {
  const email = normaliseEmail(input.email);
  const throttle = await deps.loginLimiter.attempt([`ip:${input.ip}`, emailThrottleKey(deps, email)]);
  if (!throttle.allowed) return fail({ code: UsersErrors.TOO_MANY_ATTEMPTS, retryAfterSeconds: throttle.retryAfterSeconds });

  const found = await deps.users.findByEmailWithPassword(email);
  if (!found) {
    await deps.passwords.burn(input.password);
    return fail({ code: UsersErrors.INVALID_CREDENTIALS });
  }
  if (!(await deps.passwords.verify(input.password, found.passwordHash))) return fail({ code: UsersErrors.INVALID_CREDENTIALS });
  await throttle.release();

  // Stronger parameters reach existing users the next time they sign in: only now do we know the password.
  if (deps.passwords.needsRehash(found.passwordHash)) {
    await deps.users.replacePasswordHash(found.id, found.passwordHash, await deps.passwords.hash(input.password), deps.now());
  }
  await deps.sessions.deleteExpired(found.id, deps.now());
  const { passwordHash: _hash, ...user } = found;
  return ok({ user, session: await startSession(deps, user.id) });
}
