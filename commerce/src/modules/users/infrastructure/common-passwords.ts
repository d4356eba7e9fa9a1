import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswords } from '../domain/password-policy.ts';

let list: Set<string> | undefined;

/**
 * The most common passwords from leaked password sets (the ~49,000 that zxcvbn-ts ships, most
 * frequent first), compared case-insensitively: "Password1" is as guessable as "password1".
 * Loaded on first use and kept; no network.
 */
export function commonPasswordList(): CommonPasswords {
  list ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  const set = list;
  return { has: (password) => set.has(password.toLowerCase()) };
}
