import { randomBytes } from 'node:crypto';
import { scanKeys, type RedisClient } from '@shop/platform';
import { SALT_BYTES, utcDay, type DailySaltStore } from './daily-salt-store.ts';

/**
 * Salts shared by every collector process: the first to ask for a day sets it (SET NX) with an
 * expiry at the day's end, so Redis deletes it itself and no process keeps a copy past the day
 * (each caches only the current day's).
 */
export function createRedisDailySaltStore(redis: RedisClient, prefix: string, now: () => Date = () => new Date()): DailySaltStore {
  const key = (day: string) => `${prefix}salt:${day}`;
  let cached: { day: string; salt: Buffer } | null = null;
  return {
    async saltFor(day) {
      const { day: today, msLeft } = utcDay(now());
      if (cached && cached.day !== today) cached = null;
      if (cached?.day === day) return cached.salt;
      // A day other than today is never stored: its salt would outlive it, or precede it.
      if (day !== today) return randomBytes(SALT_BYTES);
      await redis.set(key(day), randomBytes(SALT_BYTES).toString('base64'), 'PX', Math.max(1, msLeft), 'NX');
      const stored = await redis.get(key(day));
      if (!stored) throw new Error(`salt for ${day} vanished between SET NX and GET`);
      cached = { day, salt: Buffer.from(stored, 'base64') };
      return cached.salt;
    },
    async heldDays() {
      if (cached && cached.day !== utcDay(now()).day) cached = null;
      const days: string[] = [];
      for await (const keys of scanKeys(redis, `${prefix}salt:*`)) days.push(...keys.map((k) => k.slice(`${prefix}salt:`.length)));
      return days.sort();
    },
    async close() {
      cached = null;
    },
  };
}
