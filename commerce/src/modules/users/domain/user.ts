/** Same values as the shared `Role`; declared here so the domain imports nothing outward. */
export type Role = 'customer' | 'staff' | 'admin';

export interface User {
  id: string;
  /** Always normalised (see `normaliseEmail`). */
  email: string;
  role: Role;
  createdAt: Date;
}

export interface UserWithPassword extends User {
  /** Self-describing scrypt hash: the parameters travel with it so they can change later. */
  passwordHash: string;
}

/**
 * One spelling per mailbox, so `Ann@Example.com` cannot register twice. Local parts are
 * case-insensitive in practice even though RFC 5321 allows otherwise.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
