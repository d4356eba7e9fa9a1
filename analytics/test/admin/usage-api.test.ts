import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { realEngine } from '@shop/platform/testing';
import { openCollectorStores } from '../../src/collector/index.ts';
import { createRedisTenantStore } from '../../src/tenants/index.ts';
import { removeKeys } from '../speed/redis-keys.ts';
import { ADMIN_TOKEN, basic, startTestApp, type TestApp } from '../collector/support/test-app.ts';

const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
// 20:00 UTC is already the next day in Kolkata (+5:30): the quota day is the tenant's.
const START = new Date('2026-03-10T20:00:00.000Z');

const admin = (t: TestApp, url: string, token: string | null = ADMIN_TOKEN) =>
  t.app.server.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

/** One of everything the collector can do with an event, for a tenant with a quota of 3. */
async function sendMix(t: TestApp, key: string, prefix: string) {
  const track = (messageId: string, extra: object = {}) => ({ type: 'track', userId: 'u1', event: 'Clicked', messageId, ...extra });
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: basic(key) },
    payload: {
      batch: [
        track(`${prefix}1`),
        track(`${prefix}1`), // repeated within the request: a duplicate
        track(`${prefix}2`, { context: { userAgent: BOT } }),
        { type: 'track', userId: 'u1', messageId: `${prefix}bad` }, // no event name
        track(`${prefix}3`),
        track(`${prefix}4`), // the fourth new event: over the quota of 3
      ],
    },
  });
  return res.json() as { accepted?: number };
}

describe('admin API: usage (embedded stores)', () => {
  let t: TestApp;
  afterEach(() => t.cleanup());

  it("reports today's quota use on the tenant's day and the collector's counts, per tenant", async () => {
    t = await startTestApp({ start: START });
    const key = await t.tenantWithKey({ id: 'kolkata', timeZone: 'Asia/Kolkata', dailyQuota: 3 });
    await t.tenantWithKey({ id: 'quiet', timeZone: 'UTC' });
    expect((await sendMix(t, key, 'm')).accepted).toBe(3);

    const res = await admin(t, '/admin/tenants/kolkata/usage');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      tenantId: 'kolkata',
      timeZone: 'Asia/Kolkata',
      today: { day: '2026-03-11', dailyQuota: 3, used: 3, remaining: 0, resetsInSeconds: 22.5 * 3600 },
      sinceStart: {
        since: expect.any(String),
        accepted: 3,
        bots: 1,
        duplicates: 1,
        rejected: 2,
        rejectedByReason: { INVALID_EVENT: 1, QUOTA_EXCEEDED: 1 },
      },
    });

    const all = (await admin(t, '/admin/usage')).json() as { tenants: Array<{ tenantId: string; today: { day: string; used: number }; sinceStart: { accepted: number } }> };
    expect(all.tenants.map((u) => [u.tenantId, u.today.day, u.today.used, u.sinceStart.accepted])).toEqual([
      ['kolkata', '2026-03-11', 3, 3],
      ['quiet', '2026-03-10', 0, 0],
    ]);
    const paged = (await admin(t, '/admin/usage?limit=1')).json() as { tenants: Array<{ tenantId: string }>; next?: string };
    expect([paged.tenants.map((u) => u.tenantId), paged.next]).toEqual([['kolkata'], 'kolkata']);
    const found = (await admin(t, '/admin/usage?q=qui')).json() as { tenants: Array<{ tenantId: string }> };
    expect(found.tenants.map((u) => u.tenantId)).toEqual(['quiet']);
  });

  it('is behind the admin token and names unknown tenants', async () => {
    t = await startTestApp({ start: START });
    await t.tenantWithKey({ id: 'acme' });
    expect((await admin(t, '/admin/usage', null)).statusCode).toBe(401);
    expect((await admin(t, '/admin/tenants/acme/usage', 'wrong-token-0123456789')).statusCode).toBe(401);
    const missing = await admin(t, '/admin/tenants/nope/usage');
    expect([missing.statusCode, missing.json().message]).toEqual([404, 'Tenant nope not found']);
    expect((await admin(t, `/admin/tenants/${'x'.repeat(49)}/usage`)).statusCode).toBe(400);
  });
});

const redis = await realEngine('redis');
const prefix = `test:${randomUUID()}:`;

afterAll(async () => {
  if (redis.available) await removeKeys(redis.url, `${prefix}*`);
});

describe.skipIf(!redis.available)('admin API: usage with two instances sharing Redis', () => {
  it("counts today's quota use over both instances, and each instance's collector counts apart", async () => {
    const instance = async () =>
      startTestApp({
        start: START,
        overrides: { tenantStore: createRedisTenantStore(redis.url, `${prefix}tenants:`) },
        stores: await openCollectorStores({ redisUrl: redis.url, prefix }),
      });
    const one = await instance();
    const two = await instance();
    try {
      const key = await one.tenantWithKey({ id: 'shared', timeZone: 'Asia/Kolkata', dailyQuota: 3 });
      const send = (t: TestApp, ids: string[]) =>
        t.app.server.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: { authorization: basic(key) },
          payload: { batch: ids.map((messageId) => ({ type: 'track', userId: 'u', event: 'e', messageId })) },
        });
      await send(one, ['a', 'b']);
      await send(two, ['a', 'c', 'd']); // a: seen by one; c fits; d is over the quota
      const usage = async (t: TestApp) => (await admin(t, '/admin/tenants/shared/usage')).json();
      for (const t of [one, two]) expect((await usage(t)).today).toMatchObject({ day: '2026-03-11', used: 3, remaining: 0 });
      expect((await usage(one)).sinceStart).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
      expect((await usage(two)).sinceStart).toMatchObject({ accepted: 1, duplicates: 1, rejected: 1, rejectedByReason: { QUOTA_EXCEEDED: 1 } });
    } finally {
      await one.cleanup();
      await two.cleanup();
    }
  });
});
