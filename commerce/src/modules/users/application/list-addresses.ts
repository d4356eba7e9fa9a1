import type { Address } from '../domain/address.ts';
import type { UsersDeps } from './ports/users.ports.ts';

export function listAddresses(deps: Pick<UsersDeps, 'addresses'>, userId: string): Promise<Address[]> {
  return deps.addresses.listForUser(userId);
}
