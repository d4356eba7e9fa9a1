import { randomUUID } from 'node:crypto';
import { redisEngines } from '@shop/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '../../src/shared/kv/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { BOOT_TIMEOUT_MS, closeDatabase, startUsersApp, uniqueEmail, type UsersTestApp } from './support/users-test-app.ts';
import { PASSWORD, register } from './support/users-client.ts';

const redisList = await redisEngines();
const MAX = 3;
const IP_MAX = 10;

function attempt(app: UsersTestApp, email: string, password: string, ip = '203.0.113.1') {
  return app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip });
}

const freshIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe.each(databaseEngines())('login rate limit on $name', ({ open, skip }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (skip) return;
    database = await open();
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    if (database) await closeDatabase(database);
  });

  describe('with the in-process store and a controlled clock', () => {
    let app: UsersTestApp;
    let kv: KeyValueStore;
    let clock = Date.parse('2026-01-01T00:00:00Z');

    beforeAll(async () => {
      if (skip) return;
      kv = createMemoryStore({ now: () => clock });
      app = await startUsersApp({
        db: database.db,
        kv,
        now: () => new Date(clock),
        config: { loginMaxAttempts: MAX, loginWindowSeconds: 60, loginIpMaxAttempts: IP_MAX },
      });
    });
    afterAll(async () => {
      await app?.close();
      await kv?.close();
    });

    it.skipIf(skip)('slows an attacker at one address with growing delays while the owner signs in from another at once', async () => {
      const email = uniqueEmail();
      await register(app.server, email);
      const attacker = freshIp();
      for (let i = 0; i < MAX; i++) expect((await attempt(app, email, 'wrong password', attacker)).statusCode).toBe(401);

      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        const blocked = await attempt(app, email, 'wrong password', attacker);
        expect(blocked.statusCode).toBe(429);
        expect(blocked.json().error).toBe('RATE_LIMITED');
        waits.push(Number(blocked.headers['retry-after']));
        clock += waits.at(-1)! * 1000;
        expect((await attempt(app, email, 'wrong password', attacker)).statusCode).toBe(401);
      }
      expect(waits).toEqual([1, 2, 4, 8]);

      // No lockout: the account is not blocked for anybody else.
      expect((await attempt(app, email, PASSWORD, freshIp())).statusCode).toBe(200);
    });

    it.skipIf(skip)("lets the owner's known device sign in even from the attacker's address", async () => {
      const email = uniqueEmail();
      await register(app.server, email);
      const home = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD }, remoteAddress: '198.18.0.1' });
      const device = home.json().deviceToken as string;
      const shared = '198.18.0.2'; // a café, say, where the attacker sits too
      for (let i = 0; i < MAX + 1; i++) await attempt(app, email, 'wrong password', shared);
      expect((await attempt(app, email, PASSWORD, shared)).statusCode).toBe(429);
      const owner = await app.server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: PASSWORD },
        remoteAddress: shared,
        cookies: { device },
      });
      expect(owner.statusCode).toBe(200);
      // A made-up device token is not known to the account: no way around the limit.
      const forged = await app.server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: PASSWORD },
        remoteAddress: shared,
        headers: { 'x-device-token': 'a'.repeat(43) },
      });
      expect(forged.statusCode).toBe(429);
    });

    it.skipIf(skip)('stops an address that fails across many emails, but not other addresses', async () => {
      const ip = '192.0.2.77';
      const victim = uniqueEmail('victim');
      await register(app.server, victim);
      for (let i = 0; i < IP_MAX; i++) expect((await attempt(app, uniqueEmail('guess'), 'wrong password', ip)).statusCode).toBe(401);
      const blocked = await attempt(app, victim, PASSWORD, ip);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await attempt(app, victim, PASSWORD, '192.0.2.78')).statusCode).toBe(200);
      clock += 61_000;
      expect((await attempt(app, victim, PASSWORD, ip)).statusCode).toBe(200);
    });

    it.skipIf(skip)('counts failures only: successful sign-ins do not use up the allowance', async () => {
      const email = uniqueEmail();
      await register(app.server, email);
      const ip = freshIp();
      for (let i = 0; i < MAX + 2; i++) expect((await attempt(app, email, PASSWORD, ip)).statusCode).toBe(200);
      for (let i = 0; i < MAX; i++) expect((await attempt(app, email, 'wrong password', ip)).statusCode).toBe(401);
      expect((await attempt(app, email, PASSWORD, ip)).statusCode).toBe(429);
    });

    it.skipIf(skip)('holds under a burst of parallel guesses: never more than loginMaxAttempts passwords are checked', async () => {
      const email = uniqueEmail();
      await register(app.server, email);
      const ip = freshIp();
      const responses = await Promise.all(Array.from({ length: 12 }, () => attempt(app, email, 'wrong password', ip)));
      const codes = responses.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 401).length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(MAX);
      expect(codes.filter((c) => c !== 401).every((c) => c === 429)).toBe(true);
    });

    it.skipIf(skip)('also limits guesses of the current password on change-password', async () => {
      const email = uniqueEmail();
      const ann = await register(app.server, email);
      const change = (currentPassword: string) =>
        app.server.inject({
          method: 'PUT',
          url: '/api/me/password',
          headers: { authorization: `Bearer ${ann.token}` },
          payload: { currentPassword, newPassword: 'a brand new secret' },
        });
      for (let i = 0; i < MAX; i++) expect((await change('not my password')).statusCode).toBe(403);
      const blocked = await change('not my password either');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    });
  });

  describe.each(redisList)('with real $name and a one-second window', (redis) => {
    let app: UsersTestApp;
    let kv: KeyValueStore;

    beforeAll(async () => {
      if (skip || !redis.available) return;
      kv = createRedisStore(redis.url, `test:users:${randomUUID()}:`);
      app = await startUsersApp({ db: database.db, kv, config: { loginMaxAttempts: MAX, loginWindowSeconds: 1, loginIpMaxAttempts: 1000 } });
    });
    afterAll(async () => {
      await app?.close();
      await kv?.close();
    });

    it.skipIf(skip || !redis.available)('delays an address after loginMaxAttempts failures with 429 and Retry-After, and lets it try again after the wait', async () => {
      const email = uniqueEmail();
      await register(app.server, email);
      const ip = freshIp();
      for (let i = 0; i < MAX; i++) expect((await attempt(app, email, 'wrong password', ip)).statusCode).toBe(401);
      const blocked = await attempt(app, email, PASSWORD, ip);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBe('1');
      expect((await attempt(app, email, PASSWORD, freshIp())).statusCode).toBe(200);

      let status = 429;
      for (let waited = 0; status === 429 && waited < 10_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = (await attempt(app, email, PASSWORD, ip)).statusCode;
      }
      expect(status).toBe(200);
    });

    it.skipIf(skip || !redis.available)('holds under a burst of parallel guesses on Redis too', async () => {
      const email = uniqueEmail();
      await register(app.server, email);
      const ip = freshIp();
      const responses = await Promise.all(Array.from({ length: 12 }, () => attempt(app, email, 'wrong password', ip)));
      const codes = responses.map((r) => r.statusCode);
      // the burst takes well under the first one-second delay on any machine that runs this suite
      expect(codes.filter((c) => c === 401).length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(MAX + 1);
      expect(codes.filter((c) => c !== 401).every((c) => c === 429)).toBe(true);
    });
  });
});
