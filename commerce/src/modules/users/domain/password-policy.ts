import { fail, ok, type Result } from '@shop/platform/result';
import { UsersErrors, type WeakPassword } from './users.errors.ts';

/** NIST SP 800-63B: at least 8 characters, no composition rules, and not a known common or breached password. */
export const PASSWORD_MIN_LENGTH = 8;
/** An upper bound keeps hashing cost predictable: nobody hashes a megabyte "password" on our CPU. */
export const PASSWORD_MAX_LENGTH = 200;

/** The passwords attackers try first (a list shipped with the app, read offline). */
export interface CommonPasswords {
  has(password: string): boolean;
}

/** Length and the common-password list decide; character classes do not (they add friction, not strength). */
export function checkPasswordPolicy(password: string, common: CommonPasswords): Result<object, WeakPassword> {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return fail({ code: UsersErrors.WEAK_PASSWORD, reason: `password must be at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return fail({ code: UsersErrors.WEAK_PASSWORD, reason: `password must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  if (common.has(password)) {
    return fail({ code: UsersErrors.WEAK_PASSWORD, reason: 'password is one of the most common passwords; choose another (a few unrelated words work well)' });
  }
  return ok({});
}
