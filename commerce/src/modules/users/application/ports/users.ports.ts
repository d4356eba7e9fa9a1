import type { Address, AddressPatch, NewAddress } from '../../domain/address.ts';
import type { CommonPasswords } from '../../domain/password-policy.ts';
import type { Session } from '../../domain/session.ts';
import type { Role, User, UserWithPassword } from '../../domain/user.ts';

/**
 * What the use cases need from the outside world. Infrastructure implements these;
 * the use cases never see SQL, Redis or node:crypto.
 */
export interface UserRepository {
  /** Inserts unless the email is taken; null when it is (a unique index decides, so races are safe). */
  insert(user: { id: string; email: string; passwordHash: string; role: Role; now: Date }): Promise<User | null>;
  /** Creates the user with this role, or gives the existing one the role; the password of an existing user is kept. */
  upsertWithRole(user: { id: string; email: string; passwordHash: string; role: Role; now: Date }): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByEmailWithPassword(email: string): Promise<UserWithPassword | null>;
  findByIdWithPassword(id: string): Promise<UserWithPassword | null>;
  /** Compare-and-set on the hash so a concurrent change is not silently overwritten by a rehash. */
  replacePasswordHash(userId: string, expectedHash: string, newHash: string, now: Date): Promise<boolean>;
  /** Sets the new hash and deletes every other session of the user, in one transaction. */
  changePassword(userId: string, newHash: string, keepSessionId: string, now: Date): Promise<void>;
  list(page: { limit: number; offset: number }): Promise<{ users: User[]; total: number }>;
}

export interface SessionRepository {
  insert(session: { id: string; userId: string; tokenHash: string; csrfHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The live (unexpired) session with this token hash, joined with the user's current role. */
  findLive(tokenHash: string, now: Date): Promise<Session | null>;
  delete(sessionId: string): Promise<void>;
  deleteExpired(userId: string, now: Date): Promise<void>;
}

export interface AddressRepository {
  listForUser(userId: string): Promise<Address[]>;
  /** Scoped by owner: another user's address is simply not found. */
  find(userId: string, addressId: string): Promise<Address | null>;
  insert(userId: string, id: string, address: NewAddress, now: Date): Promise<Address>;
  update(userId: string, addressId: string, patch: AddressPatch, now: Date): Promise<Address | null>;
  delete(userId: string, addressId: string): Promise<boolean>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time comparison. */
  verify(password: string, hash: string): Promise<boolean>;
  /** True when the hash was made with other parameters than today's, so it should be redone at login. */
  needsRehash(hash: string): boolean;
  /** Spends the same work as a real verify, so an unknown email costs as much time as a wrong password. */
  burn(password: string): Promise<void>;
}

export interface SecretTokens {
  /** A fresh random 256-bit secret, URL-safe. */
  generate(): string;
  /** The stored form of a secret (SHA-256, hex). */
  digest(secret: string): string;
  /** Constant-time check of a presented secret against a stored digest. */
  matches(secret: string, digest: string): boolean;
}

export type Throttle = { allowed: true; release: () => Promise<void> } | { allowed: false; retryAfterSeconds: number };

/** What a sign-in attempt is counted against. */
export interface LoginThrottleKeys {
  /** Where it comes from (an IP address): a fixed number of failures per window across all accounts. */
  source?: string;
  /** Whom it is for, from where (email and IP address, or a device known to the account): growing delays. */
  subject: string;
}

/**
 * Limits password guessing without locking anyone out. `attempt` reserves a slot before the
 * password is checked, so a burst of parallel guesses cannot slip past; a successful sign-in
 * gives it back with `release`.
 */
export interface LoginRateLimiter {
  attempt(keys: LoginThrottleKeys): Promise<Throttle>;
}

/** Devices that signed in to an account before (digests only): their attempts are their own subject. */
export interface KnownDevices {
  isKnown(deviceDigest: string, accountDigest: string): Promise<boolean>;
  remember(deviceDigest: string, accountDigest: string): Promise<void>;
}

/** Tells the owner of an existing account that someone tried to register with its address. */
export interface RegistrationNotices {
  existingAccount(user: { id: string; email: string }): Promise<void>;
}

export interface UsersDeps {
  users: UserRepository;
  sessions: SessionRepository;
  addresses: AddressRepository;
  passwords: PasswordHasher;
  tokens: SecretTokens;
  loginLimiter: LoginRateLimiter;
  knownDevices: KnownDevices;
  commonPasswords: CommonPasswords;
  registrationNotices: RegistrationNotices;
  now: () => Date;
  newId: () => string;
  sessionTtlHours: number;
}
