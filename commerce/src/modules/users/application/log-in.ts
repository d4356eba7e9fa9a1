import { fail, ok, type Result } from '@shop/platform/result';
import type { IssuedSession } from '../domain/session.ts';
import { normaliseEmail, type User } from '../domain/user.ts';
import { UsersErrors, type InvalidCredentials, type TooManyAttempts } from '../domain/users.errors.ts';
import { startSession } from './start-session.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export type LogInResult = Result<{ user: User; session: IssuedSession; deviceToken: string }, InvalidCredentials | TooManyAttempts>;

/** The digest that stands for an email in the cache, so it holds no addresses. */
export const accountDigest = (deps: Pick<UsersDeps, 'tokens'>, email: string) => deps.tokens.digest(normaliseEmail(email));

/**
 * Checks a password under the sign-in limits. Attempts are counted per source address and per
 * subject: the email from that address, or, when the request carries the token of a device that
 * signed in to this account before, that device, so an attacker elsewhere cannot block the owner.
 * A success returns the device token to keep (the presented one when known, else a new one).
 */
export async function logIn(
  deps: UsersDeps,
  input: { email: string; password: string; ip: string; deviceToken?: string | undefined },
): Promise<LogInResult> {
  const email = normaliseEmail(input.email);
  const account = accountDigest(deps, email);
  const device = input.deviceToken ? deps.tokens.digest(input.deviceToken) : undefined;
  const known = device !== undefined && (await deps.knownDevices.isKnown(device, account));
  const throttle = await deps.loginLimiter.attempt(
    known ? { subject: `device:${device}:${account}` } : { source: `ip:${input.ip}`, subject: `email-ip:${account}:${input.ip}` },
  );
  if (!throttle.allowed) return fail({ code: UsersErrors.TOO_MANY_ATTEMPTS, retryAfterSeconds: throttle.retryAfterSeconds });

  const found = await deps.users.findByEmailWithPassword(email);
  if (!found) {
    await deps.passwords.burn(input.password);
    return fail({ code: UsersErrors.INVALID_CREDENTIALS });
  }
  if (!(await deps.passwords.verify(input.password, found.passwordHash))) return fail({ code: UsersErrors.INVALID_CREDENTIALS });
  await throttle.release();

  const deviceToken = known && input.deviceToken ? input.deviceToken : deps.tokens.generate();
  await deps.knownDevices.remember(deps.tokens.digest(deviceToken), account);
  // Stronger parameters reach existing users the next time they sign in: only now do we know the password.
  if (deps.passwords.needsRehash(found.passwordHash)) {
    await deps.users.replacePasswordHash(found.id, found.passwordHash, await deps.passwords.hash(input.password), deps.now());
  }
  await deps.sessions.deleteExpired(found.id, deps.now());
  const { passwordHash: _hash, ...user } = found;
  return ok({ user, session: await startSession(deps, user.id), deviceToken });
}
