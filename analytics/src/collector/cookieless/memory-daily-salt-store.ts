import { randomBytes } from 'node:crypto';
import { SALT_BYTES, utcDay, type DailySaltStore } from './daily-salt-store.ts';

/**
 * One process's salt: today's only, zeroed and dropped on the first call after its day ends. A
 * restart draws a new salt, which splits that day's visitors in two: the price of never writing
 * it down.
 */
export function createMemoryDailySaltStore(now: () => Date = () => new Date()): DailySaltStore {
  let current: { day: string; salt: Buffer } | null = null;
  const forgetPast = () => {
    if (current && current.day !== utcDay(now()).day) {
      current.salt.fill(0);
      current = null;
    }
  };
  return {
    async saltFor(day) {
      forgetPast();
      // A day other than today is never stored: its salt would outlive it, or precede it.
      if (day !== utcDay(now()).day) return randomBytes(SALT_BYTES);
      current ??= { day, salt: randomBytes(SALT_BYTES) };
      return current.salt;
    },
    async heldDays() {
      forgetPast();
      return current ? [current.day] : [];
    },
    async close() {
      current?.salt.fill(0);
      current = null;
    },
  };
}
