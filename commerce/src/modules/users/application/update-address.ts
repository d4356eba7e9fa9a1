import type { Address, AddressPatch } from '../domain/address.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { UsersErrors, type AddressNotFound } from '../domain/users.errors.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export async function updateAddress(
  deps: Pick<UsersDeps, 'addresses' | 'now'>,
  userId: string,
  addressId: string,
  patch: AddressPatch,
): Promise<Result<{ address: Address }, AddressNotFound>> {
  const address = await deps.addresses.update(userId, addressId, patch, deps.now());
  return address ? ok({ address }) : fail({ code: UsersErrors.ADDRESS_NOT_FOUND });
}
