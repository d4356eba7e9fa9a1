/**
 * Stable codes for the users module's expected failures. Clients may branch on them,
 * so they are never renamed.
 */
export const UsersErrors = {
  /** Unknown email and wrong password share this code so a login never reveals which emails exist. */
  INVALID_CREDENTIALS: 'USERS.INVALID_CREDENTIALS',
  WRONG_CURRENT_PASSWORD: 'USERS.WRONG_CURRENT_PASSWORD',
  TOO_MANY_ATTEMPTS: 'USERS.TOO_MANY_ATTEMPTS',
  WEAK_PASSWORD: 'USERS.WEAK_PASSWORD',
  ADDRESS_NOT_FOUND: 'USERS.ADDRESS_NOT_FOUND',
  USER_NOT_FOUND: 'USERS.USER_NOT_FOUND',
} as const;

export interface InvalidCredentials {
  code: typeof UsersErrors.INVALID_CREDENTIALS;
}
export interface WrongCurrentPassword {
  code: typeof UsersErrors.WRONG_CURRENT_PASSWORD;
}
export interface TooManyAttempts {
  code: typeof UsersErrors.TOO_MANY_ATTEMPTS;
  retryAfterSeconds: number;
}
export interface WeakPassword {
  code: typeof UsersErrors.WEAK_PASSWORD;
  reason: string;
}
export interface AddressNotFound {
  code: typeof UsersErrors.ADDRESS_NOT_FOUND;
}
export interface UserNotFound {
  code: typeof UsersErrors.USER_NOT_FOUND;
}
