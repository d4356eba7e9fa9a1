import { checkPasswordPolicy } from '../domain/password-policy.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import {
  UsersErrors,
  type TooManyAttempts,
  type UserNotFound,
  type WeakPassword,
  type WrongCurrentPassword,
} from '../domain/users.errors.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export type ChangePasswordResult = Result<object, WrongCurrentPassword | WeakPassword | TooManyAttempts | UserNotFound>;

/**
 * Requires the current password (a stolen session alone must not take over the account)
 * and signs out every other session, which is what a user changing a leaked password wants.
 */
export async function changePassword(
  deps: UsersDeps,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
): Promise<ChangePasswordResult> {
  const policy = checkPasswordPolicy(input.newPassword, deps.commonPasswords);
  if (!policy.ok) return policy;
  const user = await deps.users.findByIdWithPassword(input.userId);
  if (!user) return fail({ code: UsersErrors.USER_NOT_FOUND });

  // Guessing the current password through a hijacked session is the same brute force as a login.
  const throttle = await deps.loginLimiter.attempt({ subject: `change-password:${user.id}` });
  if (!throttle.allowed) return fail({ code: UsersErrors.TOO_MANY_ATTEMPTS, retryAfterSeconds: throttle.retryAfterSeconds });
  if (!(await deps.passwords.verify(input.currentPassword, user.passwordHash))) {
    return fail({ code: UsersErrors.WRONG_CURRENT_PASSWORD });
  }
  await throttle.release();

  await deps.users.changePassword(user.id, await deps.passwords.hash(input.newPassword), input.sessionId, deps.now());
  return ok({});
}
