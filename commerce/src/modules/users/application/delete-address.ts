import { fail, ok, type Result } from '@shop/platform/result';
import { UsersErrors, type AddressNotFound } from '../domain/users.errors.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export async function deleteAddress(
  deps: Pick<UsersDeps, 'addresses'>,
  userId: string,
  addressId: string,
): Promise<Result<object, AddressNotFound>> {
  return (await deps.addresses.delete(userId, addressId)) ? ok({}) : fail({ code: UsersErrors.ADDRESS_NOT_FOUND });
}
