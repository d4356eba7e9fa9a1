export { createUsersModule, type UsersApi, type UsersConfig, type UsersModuleDeps } from './users.module.ts';
export type { AddressDto, SignedInDto, UserDto, UserPageDto } from './api/users.schemas.ts';
export type { ScryptParams } from './infrastructure/scrypt-password-hasher.ts';
export { usersMigrations } from './infrastructure/users.migrations.ts';
