import { randomBytes } from 'node:crypto';
import { SALT_BYTES, type DailySaltStore } from './daily-salt-store.ts';

/**
 * One process's salts: the current day's only. Asking for a later day forgets the earlier one,
 * so a salt never outlives the day after which nothing asks for it. A restart draws a new salt,
 * which splits that day's visitors in two: the price of never writing it down.
 */
export function createMemoryDailySaltStore(): DailySaltStore {
  let current: { day: string; salt: Buffer } | null = null;
  return {
    async saltFor(day) {
      if (current && current.day === day) return current.salt;
      if (current && current.day > day) return randomBytes(SALT_BYTES); // a clock step back: an id nobody can join to
      if (current) current.salt.fill(0);
      current = { day, salt: randomBytes(SALT_BYTES) };
      return current.salt;
    },
    async heldDays() {
      return current ? [current.day] : [];
    },
    async close() {
      current?.salt.fill(0);
      current = null;
    },
  };
}
