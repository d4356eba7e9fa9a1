import { fail, ok, type Result } from '@shop/platform/result';
import { UsersErrors, type WeakPassword } from './users.errors.ts';

export const PASSWORD_MIN_LENGTH = 10;
/** An upper bound keeps hashing cost predictable: nobody hashes a megabyte "password" on our CPU. */
export const PASSWORD_MAX_LENGTH = 200;

/** Length-only, as NIST SP 800-63B advises: composition rules add friction, not strength. */
export function checkPasswordPolicy(password: string): Result<object, WeakPassword> {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return fail({ code: UsersErrors.WEAK_PASSWORD, reason: `password must be at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return fail({ code: UsersErrors.WEAK_PASSWORD, reason: `password must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  return ok({});
}
