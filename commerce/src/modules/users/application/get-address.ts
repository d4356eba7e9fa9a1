import type { Address } from '../domain/address.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { UsersErrors, type AddressNotFound } from '../domain/users.errors.ts';
import type { UsersDeps } from './ports/users.ports.ts';

/** Another user's address answers exactly like a missing one, so ids cannot be probed. */
export async function getAddress(
  deps: Pick<UsersDeps, 'addresses'>,
  userId: string,
  addressId: string,
): Promise<Result<{ address: Address }, AddressNotFound>> {
  const address = await deps.addresses.find(userId, addressId);
  return address ? ok({ address }) : fail({ code: UsersErrors.ADDRESS_NOT_FOUND });
}
