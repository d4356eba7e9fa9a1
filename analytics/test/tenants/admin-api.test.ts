import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, basic, startTestApp, type TestApp } from '../collector/support/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.cleanup());

const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = ADMIN_TOKEN) =>
  t.app.server.inject({ method, url, ...(payload ? { payload } : {}), headers: { authorization: `Bearer ${token}` } });

describe('admin API: tenants and keys', () => {
  it('creates, lists and gets tenants with their defaults', async () => {
    const created = await admin('POST', '/admin/tenants', { id: 'acme', name: 'Acme', timeZone: 'Europe/Paris' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: 'acme',
      name: 'Acme',
      timeZone: 'Europe/Paris',
      createdAt: '2026-03-10T12:00:00.000Z',
      dailyQuota: 1_000_000,
      rateLimitPerSecond: 1000,
    });
    await admin('POST', '/admin/tenants', { id: 'beta', name: 'Beta', timeZone: 'UTC', dailyQuota: 50, rateLimitPerSecond: 5 });
    expect((await admin('GET', '/admin/tenants')).json().tenants.map((x: { id: string }) => x.id)).toEqual(['acme', 'beta']);
    expect((await admin('GET', '/admin/tenants/beta')).json()).toMatchObject({ tenant: { dailyQuota: 50, rateLimitPerSecond: 5 }, keys: [] });
  });

  it('refuses bad ids, unknown time zones, duplicates and unknown tenants with the right status and code', async () => {
    const badId = await admin('POST', '/admin/tenants', { id: 'Not A Slug', name: 'x', timeZone: 'UTC' });
    expect([badId.statusCode, badId.json().error]).toEqual([400, 'TENANT.INVALID_ID']);
    const badTz = await admin('POST', '/admin/tenants', { id: 'x', name: 'x', timeZone: 'Mars/Olympus_Mons' });
    expect([badTz.statusCode, badTz.json().error]).toEqual([400, 'TENANT.INVALID_TIME_ZONE']);
    expect(badTz.json().message).toMatch(/IANA/);
    const missing = await admin('POST', '/admin/tenants', { id: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/name/);
    await admin('POST', '/admin/tenants', { id: 'x', name: 'x', timeZone: 'UTC' });
    expect((await admin('POST', '/admin/tenants', { id: 'x', name: 'y', timeZone: 'UTC' })).statusCode).toBe(409);
    expect((await admin('GET', '/admin/tenants/nope')).statusCode).toBe(404);
    expect((await admin('POST', '/admin/tenants/nope/keys', { kind: 'write' })).statusCode).toBe(404);
    expect((await admin('POST', '/admin/tenants/x/keys', { kind: 'admin' })).statusCode).toBe(400);
    expect((await admin('DELETE', '/admin/tenants/x/keys/key_nope')).statusCode).toBe(404);
  });

  it('shows a created key once, lists it without hash or plain key, and revoking it stops ingestion at once', async () => {
    await admin('POST', '/admin/tenants', { id: 'acme', name: 'Acme', timeZone: 'UTC' });
    const created = await admin('POST', '/admin/tenants/acme/keys', { kind: 'write', label: 'web' });
    expect(created.statusCode).toBe(201);
    const { key, plainKey } = created.json();
    expect(plainKey).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
    expect(key).toMatchObject({ tenantId: 'acme', kind: 'write', label: 'web', hint: `${plainKey.slice(0, 7)}...` });
    expect(key.hash).toBeUndefined();

    const listed = await admin('GET', '/admin/tenants/acme');
    expect(JSON.stringify(listed.json())).not.toContain(plainKey);
    expect(listed.body).not.toMatch(/[0-9a-f]{64}/);

    const send = () => t.app.server.inject({ method: 'POST', url: '/v1/track', payload: { userId: 'u', event: 'e' }, headers: { authorization: basic(plainKey) } });
    expect((await send()).statusCode).toBe(200);
    const revoked = await admin('DELETE', `/admin/tenants/acme/keys/${key.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().key.revokedAt).toBe('2026-03-10T12:00:00.000Z');
    expect((await send()).statusCode).toBe(401);
  });

  it('names the field a refusal is about, so a form can show it there', async () => {
    const badTz = await admin('POST', '/admin/tenants', { id: 'x', name: 'x', timeZone: 'Mars/Olympus_Mons' });
    expect(badTz.json().details).toEqual([{ field: 'body.timeZone', message: badTz.json().message }]);
    const badId = await admin('POST', '/admin/tenants', { id: '-x-', name: 'x', timeZone: 'UTC' });
    expect(badId.json().details).toEqual([{ field: 'body.id', message: badId.json().message }]);
    await admin('POST', '/admin/tenants', { id: 'x', name: 'x', timeZone: 'UTC' });
    expect((await admin('POST', '/admin/tenants', { id: 'x', name: 'x', timeZone: 'UTC' })).json().details?.[0]?.field).toBe('body.id');
  });

  it('pages and filters the list in id order, and lists everything without a limit', async () => {
    for (const [id, name] of [['e', 'Echo'], ['a', 'Alpha shop'], ['c', 'Charlie shop'], ['b', 'Bravo'], ['d', 'Delta shop']]) {
      await admin('POST', '/admin/tenants', { id, name, timeZone: 'UTC' });
    }
    const ids = (res: { json(): { tenants: Array<{ id: string }>; next?: string } }) => [res.json().tenants.map((x) => x.id), res.json().next];
    expect(ids(await admin('GET', '/admin/tenants'))).toEqual([['a', 'b', 'c', 'd', 'e'], undefined]);
    expect(ids(await admin('GET', '/admin/tenants?limit=2'))).toEqual([['a', 'b'], 'b']);
    expect(ids(await admin('GET', '/admin/tenants?limit=2&after=b'))).toEqual([['c', 'd'], 'd']);
    expect(ids(await admin('GET', '/admin/tenants?limit=2&after=d'))).toEqual([['e'], undefined]);
    expect(ids(await admin('GET', '/admin/tenants?q=SHOP&limit=2'))).toEqual([['a', 'c'], 'c']);
    expect(ids(await admin('GET', '/admin/tenants?q=SHOP&limit=2&after=c'))).toEqual([['d'], undefined]);
    expect((await admin('GET', '/admin/tenants?limit=0')).statusCode).toBe(400);
    expect((await admin('GET', '/admin/tenants?limit=501')).statusCode).toBe(400);
  });

  it('answers 401 without or with a wrong admin token', async () => {
    expect((await t.app.server.inject({ method: 'GET', url: '/admin/tenants' })).statusCode).toBe(401);
    const wrong = await admin('GET', '/admin/tenants', undefined, 'not-the-token-at-all');
    expect(wrong.statusCode).toBe(401);
    // A write key is not an admin token.
    const key = await t.tenantWithKey({ id: 'acme' });
    expect((await admin('GET', '/admin/tenants', undefined, key)).statusCode).toBe(401);
  });
});

describe('admin API without ANALYTICS_ADMIN_TOKEN', () => {
  it('answers 403 saying how to enable it, whatever token is sent', async () => {
    const off = await startTestApp({ env: { ANALYTICS_ADMIN_TOKEN: '' } });
    try {
      for (const authorization of [undefined, 'Bearer anything', 'Bearer ']) {
        const res = await off.app.server.inject({ method: 'GET', url: '/admin/tenants', headers: authorization ? { authorization } : {} });
        expect(res.statusCode).toBe(403);
        expect(res.json().message).toMatch(/ANALYTICS_ADMIN_TOKEN/);
      }
      const create = await off.app.server.inject({ method: 'POST', url: '/admin/tenants', payload: { id: 'x', name: 'x', timeZone: 'UTC' } });
      expect(create.statusCode).toBe(403);
      expect(await off.app.tenants.listTenants()).toEqual([]);
    } finally {
      await off.cleanup();
    }
  });
});
