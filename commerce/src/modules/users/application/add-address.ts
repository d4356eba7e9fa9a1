import type { Address, NewAddress } from '../domain/address.ts';
import type { UsersDeps } from './ports/users.ports.ts';

/** A user's first address becomes the default unless they say otherwise. */
export function addAddress(deps: Pick<UsersDeps, 'addresses' | 'newId' | 'now'>, userId: string, input: NewAddress): Promise<Address> {
  return deps.addresses.insert(userId, deps.newId(), input, deps.now());
}
