import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient } from '@shop/platform';
import { listRedisKeys, redisEngines } from '@shop/platform/testing';
import { cookielessVisitorId, createMemoryDailySaltStore, createRedisDailySaltStore, utcDay, type DailySaltStore } from '../../src/collector/index.ts';

/** A clock running at real speed that reads `msBeforeMidnight` before some UTC midnight when created. */
function clockNearMidnight(msBeforeMidnight: number): () => Date {
  const midnight = Date.parse('2026-06-01T00:00:00.000Z');
  const shift = midnight - msBeforeMidnight - Date.now();
  return () => new Date(Date.now() + shift);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function dailySaltContract(name: string, open: (now: () => Date) => Promise<DailySaltStore>, skip = false) {
  describe.skipIf(skip)(`daily salt store contract (${name})`, () => {
    it('gives every caller the same salt all day', async () => {
      const now = clockNearMidnight(3_600_000);
      const [a, b] = [await open(now), await open(now)];
      const today = utcDay(now()).day;
      const salt = await a.saltFor(today);
      expect(salt).toHaveLength(32);
      expect((await a.saltFor(today)).equals(salt)).toBe(true);
      expect((await b.saltFor(today)).equals(salt)).toBe(true);
      await Promise.all([a.close(), b.close()]);
    });

    it('rotates at the UTC day boundary and holds no salt of a day that is over', async () => {
      // Far enough from midnight that a loaded machine still asks for today's salt and its holdings before the day
      // ends (the salt expires in Redis by real time); near enough to wait for the next day.
      const now = clockNearMidnight(2_000);
      const store = await open(now);
      const day1 = utcDay(now()).day;
      const first = Buffer.from(await store.saltFor(day1));
      expect(await store.heldDays()).toEqual([day1]);
      await sleep(2_300);
      const day2 = utcDay(now()).day;
      expect(day2 > day1).toBe(true);
      // The day is over: its salt is gone, and asking for it yields an unrelated one.
      expect(await store.heldDays()).not.toContain(day1);
      expect((await store.saltFor(day1)).equals(first)).toBe(false);
      const second = await store.saltFor(day2);
      expect(second.equals(first)).toBe(false);
      expect(await store.heldDays()).toEqual([day2]);
      // Same visitor (site, IP, user agent): the same id all day, another id the next day.
      const visitor = ['shop', '81.2.69.142', 'Mozilla/5.0 Firefox/140'] as const;
      expect(cookielessVisitorId(second, ...visitor)).toBe(cookielessVisitorId(await store.saltFor(day2), ...visitor));
      expect(cookielessVisitorId(second, ...visitor)).not.toBe(cookielessVisitorId(first, ...visitor));
      expect(cookielessVisitorId(second, 'shop', '81.2.69.143', visitor[2])).not.toBe(cookielessVisitorId(second, ...visitor));
      await store.close();
    });

    it('never stores the salt of a day other than today', async () => {
      const now = clockNearMidnight(3_600_000);
      const store = await open(now);
      const today = utcDay(now()).day;
      await store.saltFor('2026-06-02');
      await store.saltFor('2026-01-01');
      expect(await store.heldDays()).toEqual([]);
      await store.saltFor(today);
      expect(await store.heldDays()).toEqual([today]);
      await store.close();
    });
  });
}

// One process holds one in-process store: a second caller on the same clock gets the same one.
const processStores = new WeakMap<object, DailySaltStore>();
dailySaltContract('in-process', async (now) => {
  if (!processStores.has(now)) processStores.set(now, createMemoryDailySaltStore(now));
  return processStores.get(now)!;
});

const clients: RedisClient[] = [];
const prefix = `test:${randomUUID()}:`;
const urls: string[] = [];
for (const redis of await redisEngines()) {
  if (redis.available) urls.push(redis.url);
  // Each test (one clock) its own key space; the two stores of one test share it, as two collectors would.
  const spaces = new WeakMap<object, string>();
  dailySaltContract(
    redis.name,
    async (now) => {
      const client = createRedisClient(redis.url);
      clients.push(client);
      if (!spaces.has(now)) spaces.set(now, `${prefix}${randomUUID()}:`);
      return createRedisDailySaltStore(client, spaces.get(now)!, now);
    },
    !redis.available,
  );
}

afterAll(async () => {
  for (const url of urls) {
    const client = createRedisClient(url);
    for (const key of await listRedisKeys(url, `${prefix}*`)) await client.del(key);
    await client.quit();
  }
  for (const client of clients) client.disconnect();
});
