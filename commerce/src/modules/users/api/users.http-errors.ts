import { HttpError, tooManyRequests } from '@shop/platform';
import {
  UsersErrors,
  type AddressNotFound,
  type InvalidCredentials,
  type TooManyAttempts,
  type UserNotFound,
  type WeakPassword,
  type WrongCurrentPassword,
} from '../domain/users.errors.ts';

export type UsersFailure =
  | InvalidCredentials
  | WrongCurrentPassword
  | TooManyAttempts
  | WeakPassword
  | AddressNotFound
  | UserNotFound;

/** The one place the module's expected failures become HTTP answers. */
export function toHttpError(failure: UsersFailure): HttpError {
  switch (failure.code) {
    case UsersErrors.INVALID_CREDENTIALS:
      return new HttpError(401, failure.code, 'Email or password is incorrect');
    case UsersErrors.WRONG_CURRENT_PASSWORD:
      return new HttpError(403, failure.code, 'body.currentPassword: is not your current password');
    case UsersErrors.TOO_MANY_ATTEMPTS:
      return tooManyRequests('Too many failed sign-in attempts; try again after Retry-After seconds', failure.retryAfterSeconds);
    case UsersErrors.WEAK_PASSWORD:
      return new HttpError(400, failure.code, failure.reason);
    case UsersErrors.ADDRESS_NOT_FOUND:
      return new HttpError(404, failure.code, 'Address not found');
    case UsersErrors.USER_NOT_FOUND:
      return new HttpError(404, failure.code, 'User not found');
  }
}
