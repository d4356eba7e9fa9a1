import { permissionsOf } from '../../../shared/http/permissions.ts';
import type { Address } from '../domain/address.ts';
import type { IssuedSession } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import type { AddressDto, SignedInDto, UserDto } from './users.schemas.ts';

export const toUserDto = (user: User): UserDto => ({
  id: user.id,
  email: user.email,
  role: user.role,
  permissions: permissionsOf(user.role),
  createdAt: user.createdAt.toISOString(),
});

export const toSignedInDto = (user: User, session: IssuedSession, deviceToken: string): SignedInDto => ({
  user: toUserDto(user),
  token: session.token,
  csrfToken: session.csrfToken,
  expiresAt: session.expiresAt.toISOString(),
  deviceToken,
});

export const toAddressDto = (address: Address): AddressDto => ({
  id: address.id,
  name: address.name,
  line1: address.line1,
  line2: address.line2,
  city: address.city,
  postalCode: address.postalCode,
  region: address.region,
  country: address.country,
  phone: address.phone,
  isDefault: address.isDefault,
  createdAt: address.createdAt.toISOString(),
  updatedAt: address.updatedAt.toISOString(),
});
